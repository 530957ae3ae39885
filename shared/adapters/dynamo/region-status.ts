import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from './client';
import { keys, provinceOf, regionCode, utc } from './keys';
import { decodeCursor, pageSize, toPage } from './pagination';
import { queryPrefix } from './query-all';
import { fromItem, type TableContext } from './records';
import type { Page, PageRequest, RegionCycleRecord, SubmissionPointer, SubmissionStatus } from './types';

/**
 * Order of a status within one submission's life. A pointer only moves to a newer upload, or to a
 * later status of the same upload, so events that arrive out of order cannot move it backwards.
 */
export const STATUS_RANK: Record<SubmissionStatus, number> = {
  UPLOADED: 0,
  VALIDATING: 1,
  ACCEPTED: 2,
  REJECTED: 3,
  SCORED: 3,
  FAILED: 3,
  NOT_GRANTED: 3,
  LATE: 3,
};

/** Uploads not admitted at ingestion are kept and listed, but never become a region's latest or current. */
const NOT_ADMITTED: ReadonlySet<SubmissionStatus> = new Set(['NOT_GRANTED', 'LATE']);

const COUNTS_AS_CURRENT: ReadonlySet<SubmissionStatus> = new Set(['ACCEPTED', 'SCORED']);

export interface SubmissionSummary {
  cycleId: string;
  kode: string;
  submissionId: string;
  status: SubmissionStatus;
  uploadedAt: string;
  updatedAt: string;
}

export interface PointerUpdate {
  /** The region's latest upload now points at this submission state. */
  latest: boolean;
  /** The region's current (latest accepted) submission now points at it. */
  current: boolean;
}

/** Per region and cycle: which upload is the latest, which accepted one counts (pointers). */
export class RegionStatusRepository {
  constructor(private readonly ctx: TableContext) {}

  async get(cycleId: string, kode: string): Promise<RegionCycleRecord | undefined> {
    const out = await this.ctx.doc.send(
      new GetCommand({
        TableName: this.ctx.tableName,
        Key: keys.regionStatus(cycleId, kode),
        ConsistentRead: true,
      }),
    );
    return out.Item ? fromItem<RegionCycleRecord>(out.Item) : undefined;
  }

  /** The province's own record and those of its kabupaten/kota (at most ~70 items, one query). */
  async listForProvince(cycleId: string, provinsi: string): Promise<RegionCycleRecord[]> {
    const prefix = keys.regionStatus(cycleId, regionCode(provinsi));
    return queryPrefix<RegionCycleRecord>(this.ctx, prefix.pk, prefix.sk);
  }

  /** Every region of the cycle that has uploaded anything, in code order, one page at a time. */
  async listForCycle(cycleId: string, request?: PageRequest): Promise<Page<RegionCycleRecord>> {
    const out = await this.ctx.doc.send(
      new QueryCommand({
        TableName: this.ctx.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.cycle(cycleId).pk, ':prefix': 'REGION#' },
        Limit: pageSize(request),
        ExclusiveStartKey: decodeCursor(request?.cursor, {
          partition: keys.cycle(cycleId).pk,
          sortPrefix: 'REGION#',
        }),
      }),
    );
    return toPage(
      (out.Items ?? []).map((item) => fromItem<RegionCycleRecord>(item)),
      out.LastEvaluatedKey,
    );
  }

  /** All regions with a current (accepted) submission: the national run's manifest source. */
  async listCurrent(cycleId: string): Promise<RegionCycleRecord[]> {
    const records: RegionCycleRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.listForCycle(cycleId, { limit: 500, cursor });
      for (const record of page.items) if (record.current) records.push(record);
      cursor = page.cursor;
    } while (cursor);
    return records;
  }

  /**
   * Moves the region's pointers to this submission state when it is newer than what they hold.
   * Idempotent: replaying the same summary changes nothing; a stale one is ignored.
   */
  async recordSubmission(summary: SubmissionSummary): Promise<PointerUpdate> {
    if (NOT_ADMITTED.has(summary.status)) return { latest: false, current: false };
    const order = `${utc(summary.uploadedAt)}#${summary.submissionId}`;
    const rank = STATUS_RANK[summary.status];
    const pointer: SubmissionPointer = {
      submissionId: summary.submissionId,
      status: summary.status,
      uploadedAt: utc(summary.uploadedAt),
      updatedAt: summary.updatedAt,
    };
    const latest = await this.movePointer(summary, 'latest', pointer, order, rank);
    const current = COUNTS_AS_CURRENT.has(summary.status)
      ? await this.movePointer(summary, 'current', pointer, order, rank)
      : false;
    return { latest, current };
  }

  private async movePointer(
    summary: SubmissionSummary,
    name: 'latest' | 'current',
    pointer: SubmissionPointer,
    order: string,
    rank: number,
  ): Promise<boolean> {
    try {
      await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: keys.regionStatus(summary.cycleId, summary.kode),
          UpdateExpression:
            'SET entity = :entity, cycleId = :cycleId, kode = :kode, provinsi = :provinsi, ' +
            '#ptr = :ptr, #order = :order, #rank = :rank',
          ConditionExpression:
            'attribute_not_exists(#order) OR #order < :order OR (#order = :order AND #rank <= :rank)',
          ExpressionAttributeNames: { '#ptr': name, '#order': `${name}Order`, '#rank': `${name}Rank` },
          ExpressionAttributeValues: {
            ':entity': 'REGION_STATUS',
            ':cycleId': summary.cycleId,
            ':kode': summary.kode,
            ':provinsi': provinceOf(summary.kode),
            ':ptr': pointer,
            ':order': order,
            ':rank': rank,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
