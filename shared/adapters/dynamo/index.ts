import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CycleRepository } from './cycles';
import { EvidenceRepository } from './evidence';
import { GrantRepository } from './grants';
import { HistoryRepository } from './history';
import { IdempotencyRepository } from './idempotency';
import { LedgerRepository } from './ledger';
import { RankingRepository } from './rankings';
import type { TableContext } from './records';
import { RegionStatusRepository } from './region-status';
import { RunRepository } from './runs';
import { ScoreCardRepository } from './score-cards';
import { SubmissionRepository } from './submissions';
import { SurveyRepository } from './survey';
import { VerificationRepository } from './verification';

export { createDocumentClient, isConditionalCheckFailed, tableNameFromEnv } from './client';
export { CYCLE_PREDECESSORS, CycleRepository } from './cycles';
export { EvidenceRepository, type NewEvidence } from './evidence';
export { GrantRepository } from './grants';
export { HistoryRepository } from './history';
export { IdempotencyRepository } from './idempotency';
export { KeyError, keys, ledgerKeys, provinceOf, utc } from './keys';
export { type LedgerPort, LedgerRepository } from './ledger';
export { CursorError } from './pagination';
export { RankingRepository } from './rankings';
export type { TableContext } from './records';
export { RegionStatusRepository, STATUS_RANK } from './region-status';
export { RUN_PREDECESSORS, RunRepository } from './runs';
export { ScoreCardRepository } from './score-cards';
export { SUBMISSION_PREDECESSORS, SubmissionRepository, submissionIdFor } from './submissions';
export { type InvitationRecord, type RateWindow, SurveyRepository } from './survey';
export { createTableInput, TABLE_DEFINITION } from './table-definition';
export type * from './types';
export * from './verification';

export interface Repositories {
  cycles: CycleRepository;
  submissions: SubmissionRepository;
  evidence: EvidenceRepository;
  grants: GrantRepository;
  regionStatus: RegionStatusRepository;
  scoreCards: ScoreCardRepository;
  runs: RunRepository;
  rankings: RankingRepository;
  history: HistoryRepository;
  idempotency: IdempotencyRepository;
  survey: SurveyRepository;
  verification: VerificationRepository;
  ledger: LedgerRepository;
}

/** Every repository over one table. In a handler: `createRepositories(createDocumentClient(), tableNameFromEnv())`. */
export function createRepositories(
  doc: DynamoDBDocumentClient,
  tableName: string,
  options: Pick<TableContext, 'now'> = {},
): Repositories {
  const ctx: TableContext = { doc, tableName, ...options };
  return {
    cycles: new CycleRepository(ctx),
    submissions: new SubmissionRepository(ctx),
    evidence: new EvidenceRepository(ctx),
    grants: new GrantRepository(ctx),
    regionStatus: new RegionStatusRepository(ctx),
    scoreCards: new ScoreCardRepository(ctx),
    runs: new RunRepository(ctx),
    rankings: new RankingRepository(ctx),
    history: new HistoryRepository(ctx),
    idempotency: new IdempotencyRepository(ctx),
    survey: new SurveyRepository(ctx),
    verification: new VerificationRepository(ctx),
    ledger: new LedgerRepository(ctx),
  };
}
