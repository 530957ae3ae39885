import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from './client';
import { guardedUpdate, putIfAbsent, statusEntry } from './guarded';
import { keys, utc } from './keys';
import { decodeCursor, pageSize, toPage } from './pagination';
import { fromItem, nowIso, type TableContext } from './records';
import { GSI1, GSI2 } from './table-definition';
import type { MethodologyRef, Page, PageRequest, RunRecord, RunResults, RunStatus } from './types';

/** RUNNING → PROVISIONAL → FINAL, RUNNING → FAILED. Publishing FINAL is an explicit action. */
export const RUN_PREDECESSORS: Record<RunStatus, readonly RunStatus[]> = {
  RUNNING: [],
  PROVISIONAL: ['RUNNING'],
  FINAL: ['PROVISIONAL'],
  FAILED: ['RUNNING'],
};

export interface NewRun {
  cycleId: string;
  runId: string;
  methodology: MethodologyRef;
  trigger: string;
  startedAt: string;
  manifestKey: string;
  regionCount: number;
}

export interface RunTransitionOptions {
  at?: string;
  by?: string;
  reason?: string;
  summary?: Record<string, unknown>;
  failure?: { error?: string; cause?: string };
  /** The cycle ledger's head at this publication (PROVISIONAL, FINAL), stored with the status. */
  ledgerHead?: { seq: number; hash: string };
}

export type RunTransition =
  | { outcome: 'applied'; run: RunRecord }
  | { outcome: 'unchanged'; run: RunRecord }
  | { outcome: 'rejected'; run: RunRecord }
  | { outcome: 'not-found' };

/** Runs are never overwritten: a re-run is a new run id; results are frozen once it leaves RUNNING. */
export class RunRepository {
  constructor(private readonly ctx: TableContext) {}

  async create(input: NewRun): Promise<{ created: boolean; run: RunRecord }> {
    const startedAt = utc(input.startedAt);
    const run: RunRecord = {
      ...input,
      startedAt,
      status: 'RUNNING',
      history: [{ status: 'RUNNING', at: startedAt }],
    };
    const created = await putIfAbsent(this.ctx, {
      ...keys.run(input.cycleId, input.runId),
      ...keys.runByStart(input.cycleId, startedAt, input.runId),
      ...keys.runByStatus(input.cycleId, 'RUNNING', startedAt, input.runId),
      entity: 'RUN',
      ...run,
    });
    if (created) return { created: true, run };
    const existing = await this.get(input.cycleId, input.runId);
    if (!existing) throw new Error(`run ${input.runId} vanished after a conditional put`);
    return { created: false, run: existing };
  }

  async get(cycleId: string, runId: string): Promise<RunRecord | undefined> {
    const out = await this.ctx.doc.send(
      new GetCommand({ TableName: this.ctx.tableName, Key: keys.run(cycleId, runId), ConsistentRead: true }),
    );
    return out.Item ? fromItem<RunRecord>(out.Item) : undefined;
  }

  /** A cycle's runs, newest first. */
  async list(cycleId: string, request?: PageRequest): Promise<Page<RunRecord>> {
    const out = await this.ctx.doc.send(
      new QueryCommand({
        TableName: this.ctx.tableName,
        IndexName: GSI1.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': GSI1.partitionKey },
        ExpressionAttributeValues: { ':pk': keys.runListPartition(cycleId) },
        ScanIndexForward: false,
        Limit: pageSize(request),
        ExclusiveStartKey: decodeCursor(request?.cursor, {
          index: GSI1,
          partition: keys.runListPartition(cycleId),
        }),
      }),
    );
    return toPage(
      (out.Items ?? []).map((item) => fromItem<RunRecord>(item)),
      out.LastEvaluatedKey,
    );
  }

  /** The newest run of the cycle in `status` (e.g. the FINAL one the public sees). */
  async latest(cycleId: string, status: RunStatus): Promise<RunRecord | undefined> {
    const out = await this.ctx.doc.send(
      new QueryCommand({
        TableName: this.ctx.tableName,
        IndexName: GSI2.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': GSI2.partitionKey },
        ExpressionAttributeValues: { ':pk': keys.runStatusPartition(cycleId, status) },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = out.Items?.[0];
    return item ? fromItem<RunRecord>(item) : undefined;
  }

  /** Attaches the aggregate's results; only while the run is RUNNING (replays rewrite the same). */
  async recordResults(
    cycleId: string,
    runId: string,
    results: RunResults,
  ): Promise<
    | { outcome: 'applied'; run: RunRecord }
    | { outcome: 'rejected'; run: RunRecord }
    | { outcome: 'not-found' }
  > {
    try {
      const out = await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: keys.run(cycleId, runId),
          UpdateExpression: 'SET resultKey = :resultKey, #counts = :counts, summary = :summary',
          ConditionExpression: 'attribute_exists(pk) AND #status = :running',
          ExpressionAttributeNames: { '#status': 'status', '#counts': 'counts' },
          ExpressionAttributeValues: {
            ':resultKey': results.resultKey,
            ':counts': results.counts,
            ':summary': results.summary ?? {},
            ':running': 'RUNNING',
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      if (!out.Attributes) throw new Error('UpdateItem returned no attributes');
      return { outcome: 'applied', run: fromItem<RunRecord>(out.Attributes) };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const run = await this.get(cycleId, runId);
      return run ? { outcome: 'rejected', run } : { outcome: 'not-found' };
    }
  }

  async transition(
    cycleId: string,
    runId: string,
    to: RunStatus,
    options: RunTransitionOptions = {},
  ): Promise<RunTransition> {
    const at = options.at ?? nowIso(this.ctx);
    const values: Record<string, unknown> = {
      ':to': to,
      ':entry': [statusEntry(to, at, options)],
      ':gsi2pk': keys.runStatusPartition(cycleId, to),
      ':at': at,
    };
    const sets = [
      '#status = :to',
      '#history = list_append(#history, :entry)',
      `${GSI2.partitionKey} = :gsi2pk`,
    ];
    if (to === 'FINAL') {
      sets.push('finalizedAt = :at');
      if (options.by) {
        sets.push('finalizedBy = :by');
        values[':by'] = options.by;
      }
    } else {
      sets.push('completedAt = :at');
    }
    if (options.summary) {
      sets.push('summary = :summary');
      values[':summary'] = options.summary;
    }
    if (options.failure) {
      sets.push('failure = :failure');
      values[':failure'] = options.failure;
    }
    if (options.ledgerHead) {
      sets.push('ledgerHead = :ledgerHead');
      values[':ledgerHead'] = { seq: options.ledgerHead.seq, hash: options.ledgerHead.hash };
    }
    const item = await guardedUpdate(this.ctx, {
      key: keys.run(cycleId, runId),
      from: RUN_PREDECESSORS[to],
      update: `SET ${sets.join(', ')}`,
      names: { '#history': 'history' },
      values,
    });
    if (item) return { outcome: 'applied', run: fromItem<RunRecord>(item) };
    const run = await this.get(cycleId, runId);
    if (!run) return { outcome: 'not-found' };
    return run.status === to ? { outcome: 'unchanged', run } : { outcome: 'rejected', run };
  }
}
