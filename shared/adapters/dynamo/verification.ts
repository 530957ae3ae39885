import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Rankable } from '#domain/engine/rank';
import type { Assignment } from '#domain/verification/assignment';
import type { Change } from '#domain/verification/changes';
import type { Decision } from '#domain/verification/decisions';
import type { Objection } from '#domain/verification/objections';
import type { PhaseChange, StageCalendar, StagePhase } from '#domain/verification/phases';
import type { RankNotice } from '#domain/verification/rerank';
import { batchPut } from './batch';
import { isConditionalCheckFailed } from './client';
import { putIfAbsent } from './guarded';
import { keys, verificationKeys as vk } from './keys';

const regionPartition = keys.regionPartition;

import { queryAll, queryPrefix } from './query-all';
import { fromItem, type Item, nowIso, type TableContext } from './records';

/** The verification stage of a cycle: its phase, calendar and the history of every move. */
export interface StageRecord {
  cycleId: string;
  phase: StagePhase | null;
  calendar: StageCalendar;
  version: number;
  history: PhaseChange[];
}

export interface AssignmentRecord extends Assignment {
  cycleId: string;
  assignedBy: string;
  assignedAt: string;
}

export type DecisionSlot = 'P' | 'S' | 'A';
export interface DecisionRecord extends Decision {
  cycleId: string;
  kode: string;
  slot: DecisionSlot;
}

export interface ObjectionRecord extends Objection {
  cycleId: string;
}

export interface StageScore {
  index: number;
  display: string;
  predikat: string;
  predikatEn: string;
}

/**
 * One region's scores of a stage phase (PROVISIONAL, FINAL), written by a batch of the phase's
 * state machine; its ranks come after every region is in (`StageRanksRecord`). A rerun of the same
 * phase writes the same content (decisions are frozen once the phase is left).
 */
export interface StageRowRecord {
  cycleId: string;
  phase: string;
  kode: string;
  scores: { self: StageScore; verified: StageScore; final?: StageScore };
  changes: Change[];
  /** What ranking reads: the verified score and, in FINAL, the score after the sanggah. */
  rankables: { verified: Rankable; final?: Rankable };
  computedAt: string;
}

export interface StageRanksRecord {
  cycleId: string;
  phase: string;
  kode: string;
  ranks: Record<string, number | null>;
  /** Present in FINAL: the rank moves caused only by others' upheld objections. */
  notices?: RankNotice[];
}

/** One region's results of a stage phase: its row and its ranks, read together. */
export interface StageResultRecord extends Omit<StageRowRecord, 'rankables'> {
  ranks: Record<string, number | null>;
  notices?: RankNotice[];
}

export interface StageRankingRecord {
  cycleId: string;
  phase: string;
  cluster: string;
  entries: { region: string; index: number; display: string; predikat: string; rank: number | null }[];
}

export interface EditionRecord {
  cycleId: string;
  edition: number;
  publishedAt: string;
  publishedBy: string;
  reason?: string;
  /** The stage phase whose results this edition publishes. */
  phase: string;
}

export class StageConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StageConflictError';
  }
}

/**
 * Verification, sanggah and final results (issue 11) in the single table. Decisions are current
 * per slot and every write is also logged (`DECLOG#`), so nothing an assessor decided is lost;
 * objections are one per answer (conditional put); stage results and editions are put-if-absent.
 */
export class VerificationRepository {
  constructor(private readonly ctx: TableContext) {}

  async getStage(cycleId: string): Promise<StageRecord | undefined> {
    const out = await this.ctx.doc.send(
      new GetCommand({ TableName: this.ctx.tableName, Key: vk.stage(cycleId) }),
    );
    return out.Item ? fromItem<StageRecord>(out.Item) : undefined;
  }

  /** Creates the stage (phase null) with its calendar; a second create is refused. */
  async createStage(cycleId: string, calendar: StageCalendar): Promise<StageRecord> {
    const record: StageRecord = { cycleId, phase: null, calendar, version: 1, history: [] };
    if (!(await putIfAbsent(this.ctx, { ...vk.stage(cycleId), entity: 'STAGE', ...record }))) {
      throw new StageConflictError(`stage of ${cycleId} exists`);
    }
    return record;
  }

  /** Guarded on the phase the caller saw: two triggers racing move the phase once. */
  async movePhase(cycleId: string, change: PhaseChange): Promise<StageRecord | undefined> {
    try {
      const out = await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: vk.stage(cycleId),
          UpdateExpression:
            'SET #phase = :to, #version = #version + :one, #history = list_append(#history, :change)',
          ConditionExpression: change.from === null ? 'attribute_type(#phase, :null)' : '#phase = :from',
          ExpressionAttributeNames: { '#phase': 'phase', '#version': 'version', '#history': 'history' },
          ExpressionAttributeValues: {
            ':to': change.to,
            ...(change.from === null ? { ':null': 'NULL' } : { ':from': change.from }),
            ':one': 1,
            ':change': [change],
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? fromItem<StageRecord>(out.Attributes) : undefined;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  async putAssignments(
    cycleId: string,
    assignments: readonly Assignment[],
    by: string,
    at = nowIso(this.ctx),
  ) {
    await batchPut(
      this.ctx,
      assignments.map((a) => ({
        ...vk.assignment(cycleId, a.region),
        entity: 'ASSIGNMENT',
        cycleId,
        ...a,
        assignedBy: by,
        assignedAt: at,
      })),
    );
  }

  async listAssignments(cycleId: string): Promise<AssignmentRecord[]> {
    return this.queryAll<AssignmentRecord>(vk.stage(cycleId).pk, 'ASSIGN#');
  }

  async getAssignment(cycleId: string, kode: string): Promise<AssignmentRecord | undefined> {
    const out = await this.ctx.doc.send(
      new GetCommand({ TableName: this.ctx.tableName, Key: vk.assignment(cycleId, kode) }),
    );
    return out.Item ? fromItem<AssignmentRecord>(out.Item) : undefined;
  }

  /** Current decisions per slot, plus one log item each (the history of every decision). */
  async putDecisions(cycleId: string, kode: string, slot: DecisionSlot, decisions: readonly Decision[]) {
    const items: Item[] = [];
    for (const d of decisions) {
      const record: DecisionRecord = { ...d, cycleId, kode, slot };
      items.push({ ...vk.decision(cycleId, kode, slot, d.answer), entity: 'DECISION', ...record });
      items.push({
        ...vk.decisionLog(cycleId, kode, d.at, slot, d.answer),
        entity: 'DECISION_LOG',
        ...record,
      });
    }
    await batchPut(this.ctx, items);
  }

  async listDecisions(cycleId: string, kode: string): Promise<DecisionRecord[]> {
    return this.queryAll<DecisionRecord>(regionPartition(cycleId, kode), 'DEC#');
  }

  async recordEvidenceOpening(
    cycleId: string,
    kode: string,
    subject: string,
    objectKey: string,
    at = nowIso(this.ctx),
  ) {
    await this.ctx.doc.send(
      new PutCommand({
        TableName: this.ctx.tableName,
        Item: {
          ...vk.evidenceOpening(cycleId, kode, at, `${subject}:${objectKey}`),
          entity: 'EVIDENCE_OPENING',
          cycleId,
          kode,
          subject,
          objectKey,
          at,
        },
      }),
    );
  }

  async listEvidenceOpenings(cycleId: string, kode: string) {
    return this.queryAll<{ subject: string; objectKey: string; at: string }>(
      regionPartition(cycleId, kode),
      'EVOPEN#',
    );
  }

  /** One objection per answer: a second one is `created: false`. */
  async fileObjection(record: ObjectionRecord): Promise<{ created: boolean }> {
    const created = await putIfAbsent(this.ctx, {
      ...vk.objection(record.cycleId, record.region, record.answer),
      ...vk.objectionsOfCycle(record.cycleId, record.filedAt, record.region, record.answer),
      entity: 'OBJECTION',
      ...record,
    });
    return { created };
  }

  /** Resolves an open objection once (guarded on status `open`). */
  async resolveObjection(record: ObjectionRecord): Promise<boolean> {
    try {
      await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: vk.objection(record.cycleId, record.region, record.answer),
          UpdateExpression: 'SET #status = :status, #resolution = :resolution',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status', '#resolution': 'resolution' },
          ExpressionAttributeValues: {
            ':status': record.status,
            ':resolution': record.resolution,
            ':open': 'open',
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async listObjectionsOfRegion(cycleId: string, kode: string): Promise<ObjectionRecord[]> {
    return this.queryAll<ObjectionRecord>(regionPartition(cycleId, kode), 'OBJ#');
  }

  async listObjectionsOfCycle(cycleId: string): Promise<ObjectionRecord[]> {
    const items = await queryAll(this.ctx, {
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': vk.objectionsPartition(cycleId) },
    });
    return items.map((item) => fromItem<ObjectionRecord>(item));
  }

  /** A batch of a phase's rows (batch put: a rerun writes the same content). */
  async putStageRows(rows: readonly StageRowRecord[]) {
    await batchPut(
      this.ctx,
      rows.map((r) => ({ ...vk.stageResult(r.cycleId, r.phase, r.kode), entity: 'STAGE_RESULT', ...r })),
    );
  }

  /** The rows of a phase without their changes: what ranking and the counts need. */
  async listStageRankables(
    cycleId: string,
    phase: string,
  ): Promise<Pick<StageRowRecord, 'kode' | 'scores' | 'rankables'>[]> {
    return this.queryAll(vk.stagePartition(cycleId, phase), 'REGION#', {
      ProjectionExpression: '#kode, #scores, #rankables',
      ExpressionAttributeNames: { '#kode': 'kode', '#scores': 'scores', '#rankables': 'rankables' },
    });
  }

  /** Ranks of every region and the per-cluster rankings of a phase (batch put, same content on a rerun). */
  async putStageRanks(ranks: readonly StageRanksRecord[], rankings: readonly StageRankingRecord[]) {
    await batchPut(this.ctx, [
      ...ranks.map((r) => ({ ...vk.stageRanks(r.cycleId, r.phase, r.kode), entity: 'STAGE_RANKS', ...r })),
      ...rankings.map((r) => ({
        ...vk.stageRanking(r.cycleId, r.phase, r.cluster),
        entity: 'STAGE_RANKING',
        ...r,
      })),
    ]);
  }

  async getStageRow(cycleId: string, phase: string, kode: string): Promise<StageRowRecord | undefined> {
    const out = await this.ctx.doc.send(
      new GetCommand({ TableName: this.ctx.tableName, Key: vk.stageResult(cycleId, phase, kode) }),
    );
    return out.Item ? fromItem<StageRowRecord>(out.Item) : undefined;
  }

  /** A region's row and ranks of a phase; undefined until both are written. */
  async getStageResult(cycleId: string, phase: string, kode: string): Promise<StageResultRecord | undefined> {
    const [row, ranks] = await Promise.all([
      this.getStageRow(cycleId, phase, kode),
      this.ctx.doc.send(
        new GetCommand({ TableName: this.ctx.tableName, Key: vk.stageRanks(cycleId, phase, kode) }),
      ),
    ]);
    if (!row || !ranks.Item) return undefined;
    const { rankables: _, ...rest } = row;
    const r = fromItem<StageRanksRecord>(ranks.Item);
    return { ...rest, ranks: r.ranks, ...(r.notices ? { notices: r.notices } : {}) };
  }

  async listStageRankings(cycleId: string, phase: string): Promise<StageRankingRecord[]> {
    return this.queryAll<StageRankingRecord>(vk.stagePartition(cycleId, phase), 'RANKING#');
  }

  /** Editions are put-if-absent: edition n exists once, its content never changes. */
  async putEdition(record: EditionRecord): Promise<boolean> {
    return putIfAbsent(this.ctx, {
      ...vk.edition(record.cycleId, record.edition),
      entity: 'EDITION',
      ...record,
    });
  }

  async listEditions(cycleId: string): Promise<EditionRecord[]> {
    return this.queryAll<EditionRecord>(vk.stage(cycleId).pk, 'EDITION#');
  }

  private async queryAll<T>(
    pk: string,
    prefix: string,
    projection?: { ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> },
  ): Promise<T[]> {
    if (!projection) return queryPrefix<T>(this.ctx, pk, prefix);
    const items = await queryAll(this.ctx, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
      ...projection,
    });
    return items.map((item) => fromItem<T>(item));
  }
}
