import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { putIfAbsent } from './guarded';
import { keys, utc } from './keys';
import { fromItem, type TableContext } from './records';
import type { UploadGrantRecord } from './types';

/**
 * Upload grants (`CYCLE#{c}#REGION#{k}` / `GRANT#{uploadId}`): every presigned POST request-upload
 * issues is recorded before it is handed out, so ingestion can admit only objects that match one
 * (same key, size in range) and knows who uploaded them.
 */
export class GrantRepository {
  constructor(private readonly ctx: TableContext) {}

  /** Records a grant once (upload ids are unique; a retried write of the same grant is a no-op). */
  async record(grant: UploadGrantRecord): Promise<void> {
    const item: UploadGrantRecord = {
      ...grant,
      grantedAt: utc(grant.grantedAt),
      expiresAt: utc(grant.expiresAt),
      windowEndsAt: utc(grant.windowEndsAt),
    };
    await putIfAbsent(this.ctx, {
      ...keys.grant(grant.cycleId, grant.kode, grant.uploadId),
      entity: 'GRANT',
      ...item,
    });
  }

  async get(cycleId: string, kode: string, uploadId: string): Promise<UploadGrantRecord | undefined> {
    const out = await this.ctx.doc.send(
      new GetCommand({
        TableName: this.ctx.tableName,
        Key: keys.grant(cycleId, kode, uploadId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? fromItem<UploadGrantRecord>(out.Item) : undefined;
  }
}
