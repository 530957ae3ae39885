/**
 * Every key of the single table is built here (see infra/README.md for the access patterns).
 * Ids become key segments, so they may not contain `#`.
 */

const REGION_CODE = /^\d{2}(\.\d{2})?$/;
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._:+-]*$/;

export class KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyError';
  }
}

export function segment(value: string, what: string): string {
  if (!SEGMENT.test(value) || value.length > 200) {
    throw new KeyError(`${what} "${value}" is not a valid key segment (letters, digits, . _ : + -)`);
  }
  return value;
}

export function regionCode(kode: string): string {
  if (!REGION_CODE.test(kode)) throw new KeyError(`region code "${kode}" is not "PP" or "PP.KK"`);
  return kode;
}

/** Province of a Kemendagri code: `18.01` → `18`, `18` → `18`. */
export function provinceOf(kode: string): string {
  return regionCode(kode).slice(0, 2);
}

/** Converts an ISO 8601 instant with any offset to UTC `...Z` so string order is time order. */
export function utc(instant: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) throw new KeyError(`"${instant}" is not an ISO 8601 instant`);
  return date.toISOString();
}

const pad = (n: number, width: number): string => {
  if (!Number.isInteger(n) || n < 0) throw new KeyError(`${n} is not a non-negative integer`);
  return String(n).padStart(width, '0');
};

export interface TableKey {
  pk: string;
  sk: string;
}

export const CYCLE_LIST_PK = 'CYCLES';
export const CYCLE_DUE_PK = 'CYCLE_DUE';

export const keys = {
  cycle: (cycleId: string): TableKey => ({ pk: `CYCLE#${segment(cycleId, 'cycleId')}`, sk: 'META' }),
  cycleList: (period: number, cycleId: string) => ({
    gsi1pk: CYCLE_LIST_PK,
    gsi1sk: `${pad(period, 4)}#${segment(cycleId, 'cycleId')}`,
  }),
  cycleDue: (nextTransitionAt: string, cycleId: string) => ({
    gsi2pk: CYCLE_DUE_PK,
    gsi2sk: `${utc(nextTransitionAt)}#${segment(cycleId, 'cycleId')}`,
  }),

  regionPartition: (cycleId: string, kode: string): string =>
    `CYCLE#${segment(cycleId, 'cycleId')}#REGION#${regionCode(kode)}`,
  submission: (cycleId: string, kode: string, submissionId: string): TableKey => ({
    pk: keys.regionPartition(cycleId, kode),
    sk: `SUB#${segment(submissionId, 'submissionId')}`,
  }),
  submissionStatusPartition: (cycleId: string, status: string): string =>
    `CYCLE#${segment(cycleId, 'cycleId')}#STATUS#${segment(status, 'status')}`,
  submissionByStatus: (cycleId: string, status: string, uploadedAt: string, kode: string, id: string) => ({
    gsi1pk: keys.submissionStatusPartition(cycleId, status),
    gsi1sk: `${utc(uploadedAt)}#${regionCode(kode)}#${segment(id, 'submissionId')}`,
  }),
  submissionByUploadTime: (cycleId: string, kode: string, uploadedAt: string, id: string) => ({
    gsi2pk: keys.regionPartition(cycleId, kode),
    gsi2sk: `SUBAT#${utc(uploadedAt)}#${segment(id, 'submissionId')}`,
  }),
  scoreCard: (cycleId: string, kode: string, submissionId: string): TableKey => ({
    pk: keys.regionPartition(cycleId, kode),
    sk: `CARD#${segment(submissionId, 'submissionId')}`,
  }),
  /** One upload grant (presigned POST) of a region in a cycle, by its server-generated upload id. */
  grant: (cycleId: string, kode: string, uploadId: string): TableKey => ({
    pk: keys.regionPartition(cycleId, kode),
    sk: `GRANT#${segment(uploadId, 'uploadId')}`,
  }),
  /** One evidence object of a region in a cycle (a storage-safe file name, then its upload id). */
  evidence: (cycleId: string, kode: string, fileName: string, uploadId: string): TableKey => ({
    pk: keys.regionPartition(cycleId, kode),
    sk: `EVID#${segment(fileName, 'fileName')}#${segment(uploadId, 'uploadId')}`,
  }),

  /**
   * An evidence object not admitted at ingestion (`EVIDNA#`, so `EVID#` listings never see it),
   * indexed in the cycle's status partition beside the not-admitted data files.
   */
  evidenceNotAdmitted: (cycleId: string, kode: string, fileName: string, uploadId: string): TableKey => ({
    pk: keys.regionPartition(cycleId, kode),
    sk: `EVIDNA#${segment(fileName, 'fileName')}#${segment(uploadId, 'uploadId')}`,
  }),

  regionStatus: (cycleId: string, kode: string): TableKey => ({
    pk: `CYCLE#${segment(cycleId, 'cycleId')}`,
    sk: `REGION#${regionCode(kode)}`,
  }),

  run: (cycleId: string, runId: string): TableKey => ({
    pk: `CYCLE#${segment(cycleId, 'cycleId')}`,
    sk: `RUN#${segment(runId, 'runId')}`,
  }),
  runListPartition: (cycleId: string): string => `CYCLE#${segment(cycleId, 'cycleId')}#RUNS`,
  runByStart: (cycleId: string, startedAt: string, runId: string) => ({
    gsi1pk: keys.runListPartition(cycleId),
    gsi1sk: `${utc(startedAt)}#${segment(runId, 'runId')}`,
  }),
  runStatusPartition: (cycleId: string, status: string): string =>
    `CYCLE#${segment(cycleId, 'cycleId')}#RUNS#${segment(status, 'status')}`,
  runByStatus: (cycleId: string, status: string, startedAt: string, runId: string) => ({
    gsi2pk: keys.runStatusPartition(cycleId, status),
    gsi2sk: `${utc(startedAt)}#${segment(runId, 'runId')}`,
  }),

  rankingPartition: (runId: string, cluster: string): string =>
    `RUN#${segment(runId, 'runId')}#CLUSTER#${segment(cluster, 'cluster')}`,
  /** Ranked entries sort by rank (`RANK#00001#...`), unranked ones after them (`UNRANKED#...`). */
  rankingSort: (rank: number | undefined, kode: string): string =>
    rank === undefined ? `UNRANKED#${regionCode(kode)}` : `RANK#${pad(rank, 5)}#${regionCode(kode)}`,
  rankingProvincePartition: (runId: string, provinsi: string): string =>
    `RUN#${segment(runId, 'runId')}#PROVINCE#${regionCode(provinsi)}`,
  rankingByProvince: (
    runId: string,
    provinsi: string,
    cluster: string,
    rank: number | undefined,
    kode: string,
  ) => ({
    gsi1pk: keys.rankingProvincePartition(runId, provinsi),
    gsi1sk: `${segment(cluster, 'cluster')}#${keys.rankingSort(rank, kode)}`,
  }),
  runPartition: (runId: string): string => `RUN#${segment(runId, 'runId')}`,
  regionResult: (runId: string, kode: string): TableKey => ({
    pk: keys.runPartition(runId),
    sk: `REGION#${regionCode(kode)}`,
  }),

  historyPartition: (kode: string): string => `REGION#${regionCode(kode)}`,
  history: (kode: string, index: string, period: number, cycleId: string): TableKey => ({
    pk: keys.historyPartition(kode),
    sk: `HIST#${segment(index, 'index')}#${pad(period, 4)}#${segment(cycleId, 'cycleId')}`,
  }),

  idempotency: (scope: string, key: string): TableKey => ({
    pk: `IDEMPOTENCY#${segment(scope, 'scope')}`,
    sk: key,
  }),
} as const;

/**
 * The run key as Step Functions intrinsic format strings (JSONPath `States.Format`), for the
 * national state machine's direct DynamoDB update. Kept next to `keys.run` so they cannot drift.
 */
export const RUN_KEY_FORMAT = { pk: 'CYCLE#{}', sk: 'RUN#{}', byStatusPk: 'CYCLE#{}#RUNS#{}' } as const;

/** An answer key (`13a`, `inovasi/<id>/<code>`) as a key segment: anything but `#` and control characters. */
export function answerSegment(answer: string): string {
  if (!answer || answer.length > 300 || [...answer].some((ch) => ch === '#' || ch.charCodeAt(0) < 32))
    throw new KeyError(`answer "${answer}" is not a valid key segment (no # or control characters)`);
  return answer;
}

/** Keys of the verification stage (issue 11); access patterns in infra/README.md. */
export const verificationKeys = {
  stage: (cycleId: string): TableKey => ({ pk: `CYCLE#${segment(cycleId, 'cycleId')}`, sk: 'STAGE' }),
  assignment: (cycleId: string, kode: string): TableKey => ({
    pk: `CYCLE#${segment(cycleId, 'cycleId')}`,
    sk: `ASSIGN#${regionCode(kode)}`,
  }),
  /** slot P = primary, S = second (double verification), A = adjudication. */
  decision: (cycleId: string, kode: string, slot: 'P' | 'S' | 'A', answer: string): TableKey => ({
    pk: keys.regionPartition(cycleId, kode),
    sk: `DEC#${slot}#${answerSegment(answer)}`,
  }),
  decisionLog: (cycleId: string, kode: string, at: string, slot: string, answer: string): TableKey => ({
    pk: keys.regionPartition(cycleId, kode),
    sk: `DECLOG#${utc(at)}#${slot}#${answerSegment(answer)}`,
  }),
  evidenceOpening: (cycleId: string, kode: string, at: string, subject: string): TableKey => ({
    pk: keys.regionPartition(cycleId, kode),
    sk: `EVOPEN#${utc(at)}#${answerSegment(subject)}`,
  }),
  objection: (cycleId: string, kode: string, answer: string): TableKey => ({
    pk: keys.regionPartition(cycleId, kode),
    sk: `OBJ#${answerSegment(answer)}`,
  }),
  objectionsPartition: (cycleId: string): string => `CYCLE#${segment(cycleId, 'cycleId')}#OBJECTIONS`,
  objectionsOfCycle: (cycleId: string, filedAt: string, kode: string, answer: string) => ({
    gsi1pk: verificationKeys.objectionsPartition(cycleId),
    gsi1sk: `${utc(filedAt)}#${regionCode(kode)}#${answerSegment(answer)}`,
  }),
  stagePartition: (cycleId: string, phase: string): string =>
    `CYCLE#${segment(cycleId, 'cycleId')}#STAGE#${segment(phase, 'phase')}`,
  stageResult: (cycleId: string, phase: string, kode: string): TableKey => ({
    pk: verificationKeys.stagePartition(cycleId, phase),
    sk: `REGION#${regionCode(kode)}`,
  }),
  /** A region's ranks (and rank notices) in a phase, written once every region's row is in. */
  stageRanks: (cycleId: string, phase: string, kode: string): TableKey => ({
    pk: verificationKeys.stagePartition(cycleId, phase),
    sk: `RANKS#${regionCode(kode)}`,
  }),
  stageRanking: (cycleId: string, phase: string, cluster: string): TableKey => ({
    pk: verificationKeys.stagePartition(cycleId, phase),
    sk: `RANKING#${segment(cluster, 'cluster')}`,
  }),
  edition: (cycleId: string, edition: number): TableKey => ({
    pk: `CYCLE#${segment(cycleId, 'cycleId')}`,
    sk: `EDITION#${pad(edition, 4)}`,
  }),
} as const;

/**
 * Keys of a cycle's ledger (issue 13; docs/architecture.md "Ledger"): one partition per cycle,
 * entries sorted by seq (zero-padded to 10 digits), and one claim per idempotency key (its sha256).
 */
export const ledgerKeys = {
  partition: (cycleId: string): string => `CYCLE#${segment(cycleId, 'cycleId')}#LEDGER`,
  entrySort: (seq: number): string => `SEQ#${pad(seq, 10)}`,
  entry: (cycleId: string, seq: number): TableKey => ({
    pk: ledgerKeys.partition(cycleId),
    sk: ledgerKeys.entrySort(seq),
  }),
  claim: (cycleId: string, keyHash: string): TableKey => ({
    pk: ledgerKeys.partition(cycleId),
    sk: `KEY#${segment(keyHash, 'idempotency key hash')}`,
  }),
} as const;
