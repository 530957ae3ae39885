import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchPut } from './batch';
import { keys, regionCode, segment } from './keys';
import { decodeCursor, pageSize, toPage } from './pagination';
import { fromItem, type TableContext } from './records';
import { GSI1 } from './table-definition';
import type { Page, PageRequest, RankingEntry, RegionResultRecord } from './types';

export interface RankingQuery extends PageRequest {
  /** Only the regions of this province (`PP`), still in rank order. */
  province?: string;
}

/** Ranking entries (per run and cluster, in rank order) and per-region results of a run. */
export class RankingRepository {
  constructor(private readonly ctx: TableContext) {}

  /** Writes a run's entries (batched). A run's content is deterministic, so a replay is harmless. */
  async putEntries(entries: readonly RankingEntry[]): Promise<void> {
    await batchPut(
      this.ctx,
      entries.map((entry) => ({
        pk: keys.rankingPartition(entry.runId, entry.cluster),
        sk: keys.rankingSort(entry.rank, entry.kode),
        ...keys.rankingByProvince(entry.runId, entry.provinsi, entry.cluster, entry.rank, entry.kode),
        entity: 'RANKING',
        ...entry,
      })),
    );
  }

  /** A cluster's ranking: rank 1 first, unranked (ineligible) regions last. */
  async listByCluster(runId: string, cluster: string, query: RankingQuery = {}): Promise<Page<RankingEntry>> {
    const scope = query.province
      ? {
          index: GSI1,
          partition: keys.rankingProvincePartition(runId, query.province),
          sortPrefix: `${segment(cluster, 'cluster')}#`,
        }
      : { partition: keys.rankingPartition(runId, cluster) };
    const common = {
      TableName: this.ctx.tableName,
      Limit: pageSize(query),
      ExclusiveStartKey: decodeCursor(query.cursor, scope),
      ScanIndexForward: true,
    };
    const out = query.province
      ? await this.ctx.doc.send(
          new QueryCommand({
            ...common,
            IndexName: GSI1.indexName,
            KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
            ExpressionAttributeNames: { '#pk': GSI1.partitionKey, '#sk': GSI1.sortKey },
            ExpressionAttributeValues: {
              ':pk': keys.rankingProvincePartition(runId, query.province),
              ':prefix': `${segment(cluster, 'cluster')}#`,
            },
          }),
        )
      : await this.ctx.doc.send(
          new QueryCommand({
            ...common,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.rankingPartition(runId, cluster) },
          }),
        );
    return toPage(
      (out.Items ?? []).map((item) => fromItem<RankingEntry>(item)),
      out.LastEvaluatedKey,
    );
  }

  async putRegionResults(results: readonly RegionResultRecord[]): Promise<void> {
    await batchPut(
      this.ctx,
      results.map((result) => ({
        ...keys.regionResult(result.runId, result.kode),
        entity: 'REGION_RESULT',
        ...result,
      })),
    );
  }

  async getRegionResult(runId: string, kode: string): Promise<RegionResultRecord | undefined> {
    const out = await this.ctx.doc.send(
      new GetCommand({ TableName: this.ctx.tableName, Key: keys.regionResult(runId, kode) }),
    );
    return out.Item ? fromItem<RegionResultRecord>(out.Item) : undefined;
  }

  /** A run's per-region results in code order; with `province`, that province and its kab/kota. */
  async listRegionResults(runId: string, query: RankingQuery = {}): Promise<Page<RegionResultRecord>> {
    const prefix = query.province ? keys.regionResult(runId, regionCode(query.province)).sk : 'REGION#';
    const out = await this.ctx.doc.send(
      new QueryCommand({
        TableName: this.ctx.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.runPartition(runId), ':prefix': prefix },
        Limit: pageSize(query),
        ExclusiveStartKey: decodeCursor(query.cursor, {
          partition: keys.runPartition(runId),
          sortPrefix: prefix,
        }),
      }),
    );
    return toPage(
      (out.Items ?? []).map((item) => fromItem<RegionResultRecord>(item)),
      out.LastEvaluatedKey,
    );
  }
}
