import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from './client';
import { guardedUpdate, putIfAbsent, statusEntry } from './guarded';
import { CYCLE_DUE_PK, CYCLE_LIST_PK, keys, utc } from './keys';
import { decodeCursor, pageSize, toPage } from './pagination';
import { fromItem, nowIso, type TableContext } from './records';
import { GSI1, GSI2 } from './table-definition';
import type { CycleCalendar, CycleRecord, CycleStatus, MethodologyRef, Page, PageRequest } from './types';

/**
 * Allowed predecessors of each cycle status:
 * DRAFT → OPEN → CLOSED → ASSESSING → ASSESSED → PUBLISHED, plus CLOSED → OPEN (deadline extended
 * after closing), ASSESSING → CLOSED (run failed) and ASSESSED → ASSESSING (re-run).
 */
export const CYCLE_PREDECESSORS: Record<CycleStatus, readonly CycleStatus[]> = {
  DRAFT: [],
  OPEN: ['DRAFT', 'CLOSED'],
  CLOSED: ['OPEN', 'ASSESSING'],
  ASSESSING: ['CLOSED', 'ASSESSED'],
  ASSESSED: ['ASSESSING'],
  PUBLISHED: ['ASSESSED'],
};

export interface NewCycle {
  cycleId: string;
  index: string;
  period: number;
  name: string;
  calendar: CycleCalendar;
  methodology: MethodologyRef;
  /** First pending transition (normally `calendar.opensAt`). */
  nextTransitionAt?: string;
  /** How long the cycle's ledger exports stay locked (Object Lock, governance); default 3650. */
  ledgerRetentionDays?: number;
  at?: string;
  by?: string;
}

export interface CycleTransitionOptions {
  /** Narrows the allowed predecessors (must be among CYCLE_PREDECESSORS[to]). */
  from?: readonly CycleStatus[];
  at?: string;
  by?: string;
  reason?: string;
  /** Next pending transition; `null` when none is left (drops the cycle from the due index). */
  nextTransitionAt?: string | null;
  currentRunId?: string;
  /** Applies only while this run is the cycle's current one (a late event about an older run changes nothing). */
  whileCurrentRunId?: string;
}

export type CycleTransition =
  | { outcome: 'applied'; cycle: CycleRecord }
  | { outcome: 'unchanged'; cycle: CycleRecord }
  | { outcome: 'rejected'; cycle: CycleRecord }
  | { outcome: 'not-found' };

export type CalendarUpdate =
  | { outcome: 'applied'; cycle: CycleRecord }
  /** Someone else changed the cycle since `expectedVersion` was read. */
  | { outcome: 'conflict'; cycle: CycleRecord }
  | { outcome: 'not-found' };

export class CycleRepository {
  constructor(private readonly ctx: TableContext) {}

  async create(input: NewCycle): Promise<{ created: boolean; cycle: CycleRecord }> {
    const at = input.at ?? nowIso(this.ctx);
    const cycle: CycleRecord = {
      cycleId: input.cycleId,
      index: input.index,
      period: input.period,
      name: input.name,
      status: 'DRAFT',
      statusHistory: [{ status: 'DRAFT', at, ...(input.by ? { by: input.by } : {}) }],
      calendar: input.calendar,
      methodology: input.methodology,
      ...(input.ledgerRetentionDays ? { ledgerRetentionDays: input.ledgerRetentionDays } : {}),
      version: 1,
      nextTransitionAt: input.nextTransitionAt ? utc(input.nextTransitionAt) : undefined,
      createdAt: at,
      updatedAt: at,
    };
    const created = await putIfAbsent(this.ctx, {
      ...keys.cycle(input.cycleId),
      ...keys.cycleList(input.period, input.cycleId),
      ...(input.nextTransitionAt ? keys.cycleDue(input.nextTransitionAt, input.cycleId) : {}),
      entity: 'CYCLE',
      ...cycle,
    });
    if (created) return { created: true, cycle };
    const existing = await this.get(input.cycleId);
    if (!existing) throw new Error(`cycle ${input.cycleId} vanished after a conditional put`);
    return { created: false, cycle: existing };
  }

  async get(cycleId: string): Promise<CycleRecord | undefined> {
    const out = await this.ctx.doc.send(
      new GetCommand({ TableName: this.ctx.tableName, Key: keys.cycle(cycleId), ConsistentRead: true }),
    );
    return out.Item ? fromItem<CycleRecord>(out.Item) : undefined;
  }

  /** All cycles, newest period first. */
  async list(request?: PageRequest): Promise<Page<CycleRecord>> {
    const out = await this.ctx.doc.send(
      new QueryCommand({
        TableName: this.ctx.tableName,
        IndexName: GSI1.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': GSI1.partitionKey },
        ExpressionAttributeValues: { ':pk': CYCLE_LIST_PK },
        ScanIndexForward: false,
        Limit: pageSize(request),
        ExclusiveStartKey: decodeCursor(request?.cursor, { index: GSI1, partition: CYCLE_LIST_PK }),
      }),
    );
    return toPage(
      (out.Items ?? []).map((item) => fromItem<CycleRecord>(item)),
      out.LastEvaluatedKey,
    );
  }

  /** Cycles whose next transition is due at or before `now` (the safety schedule's catch-up query). */
  async listDue(now: string, limit = 100): Promise<CycleRecord[]> {
    const out = await this.ctx.doc.send(
      new QueryCommand({
        TableName: this.ctx.tableName,
        IndexName: GSI2.indexName,
        KeyConditionExpression: '#pk = :pk AND #sk <= :until',
        ExpressionAttributeNames: { '#pk': GSI2.partitionKey, '#sk': GSI2.sortKey },
        ExpressionAttributeValues: { ':pk': CYCLE_DUE_PK, ':until': `${utc(now)}#\uffff` },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((item) => fromItem<CycleRecord>(item));
  }

  /**
   * Replaces the calendar (extensions are a data change) if nobody changed the cycle since
   * `expectedVersion`; also re-indexes the next pending transition.
   */
  async updateCalendar(
    cycleId: string,
    calendar: CycleCalendar,
    options: { expectedVersion: number; nextTransitionAt: string | null; at?: string },
  ): Promise<CalendarUpdate> {
    const at = options.at ?? nowIso(this.ctx);
    const update = this.nextTransitionUpdate(cycleId, options.nextTransitionAt);
    try {
      const out = await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: keys.cycle(cycleId),
          UpdateExpression: `SET calendar = :calendar, updatedAt = :at, version = version + :one${update.set}${update.remove}`,
          ConditionExpression: 'attribute_exists(pk) AND version = :expected',
          ExpressionAttributeValues: {
            ':calendar': calendar,
            ':at': at,
            ':one': 1,
            ':expected': options.expectedVersion,
            ...update.values,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      if (!out.Attributes) throw new Error('UpdateItem returned no attributes');
      return { outcome: 'applied', cycle: fromItem<CycleRecord>(out.Attributes) };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const cycle = await this.get(cycleId);
      return cycle ? { outcome: 'conflict', cycle } : { outcome: 'not-found' };
    }
  }

  /**
   * Guarded status change: applies only from an allowed predecessor, so a transition that fires
   * twice (schedule + safety net, or a retry) changes nothing the second time (`unchanged`).
   */
  async transition(
    cycleId: string,
    to: CycleStatus,
    options: CycleTransitionOptions = {},
  ): Promise<CycleTransition> {
    const allowed = CYCLE_PREDECESSORS[to].filter((s) => !options.from || options.from.includes(s));
    const at = options.at ?? nowIso(this.ctx);
    const update = this.nextTransitionUpdate(cycleId, options.nextTransitionAt);
    const values: Record<string, unknown> = {
      ':to': to,
      ':at': at,
      ':entry': [statusEntry(to, at, options)],
      ':one': 1,
      ...update.values,
    };
    let set =
      'SET #status = :to, updatedAt = :at, statusHistory = list_append(statusHistory, :entry), version = version + :one';
    if (options.currentRunId) {
      set += ', currentRunId = :runId';
      values[':runId'] = options.currentRunId;
    }
    if (options.whileCurrentRunId) values[':whileRunId'] = options.whileCurrentRunId;
    const item = await guardedUpdate(this.ctx, {
      key: keys.cycle(cycleId),
      from: allowed,
      update: `${set}${update.set}${update.remove}`,
      values,
      ...(options.whileCurrentRunId ? { condition: 'currentRunId = :whileRunId' } : {}),
    });
    if (item) return { outcome: 'applied', cycle: fromItem<CycleRecord>(item) };
    const cycle = await this.get(cycleId);
    if (!cycle) return { outcome: 'not-found' };
    return cycle.status === to ? { outcome: 'unchanged', cycle } : { outcome: 'rejected', cycle };
  }

  private nextTransitionUpdate(
    cycleId: string,
    next: string | null | undefined,
  ): { set: string; remove: string; values: Record<string, unknown> } {
    if (next === undefined) return { set: '', remove: '', values: {} };
    if (next === null)
      return {
        set: '',
        remove: ` REMOVE nextTransitionAt, ${GSI2.partitionKey}, ${GSI2.sortKey}`,
        values: {},
      };
    const due = keys.cycleDue(next, cycleId);
    return {
      set: `, nextTransitionAt = :next, ${GSI2.partitionKey} = :duePk, ${GSI2.sortKey} = :dueSk`,
      remove: '',
      values: { ':next': utc(next), ':duePk': due.gsi2pk, ':dueSk': due.gsi2sk },
    };
  }
}
