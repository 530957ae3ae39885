/**
 * The national state machine's payloads (docs/architecture.md §3) and the files the run writes.
 * Each Task receives the whole state; only the members named here are read, the rest is ignored.
 * Payloads carry S3 keys, never data (256 KB limit).
 */
import * as z from 'zod';
import type { RankingEntry, RegionResultRecord } from '#adapters/dynamo/index';
import type { RankInterval } from '#domain/engine/index';
import type { RegionOutcome, UnrankedReason } from '#domain/national';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._:+-]*$/;
export const idSegment = z.string().regex(SEGMENT).max(200);
export const regionCode = z.string().regex(/^\d{2}(\.\d{2})?$/);

/** `$.run`, set by the Init Pass state from `$$.Execution`. */
export const runRef = z.object({ runId: idSegment, startedAt: z.string().min(1) });

/** FreezeManifest: the execution input (`cycleId`, `trigger`) plus `$.run`. */
export const freezeInput = z.object({
  cycleId: idSegment,
  trigger: z.string().max(200).optional(),
  requestedBy: z.string().max(200).optional(),
  run: runRef,
});
export type FreezeInput = z.infer<typeof freezeInput>;

/** One item of the manifest (one submitting region): what the Distributed Map hands to a batch. */
export const manifestItem = z.object({
  kode: regionCode,
  submissionId: idSegment,
  /** S3 key of the canonical submission JSON. */
  sourceKey: z.string().min(1),
});
export type ManifestItem = z.infer<typeof manifestItem>;

/** `$.manifest`: FreezeManifest's result. */
export const freezeResult = z.object({
  manifestKey: z.string().min(1),
  contextKey: z.string().min(1),
  regionCount: z.number().int().min(0),
  runId: idSegment,
});
export type FreezeResult = z.infer<typeof freezeResult>;

/** What FreezeManifest writes beside the manifest, for the batches (which have no table access). */
export const runContext = z.object({
  cycleId: idSegment,
  runId: idSegment,
  index: z.string(),
  period: z.number().int(),
  methodology: z.object({ id: z.string(), hash: z.string() }),
  startedAt: z.string(),
  trigger: z.string(),
});
export type RunContext = z.infer<typeof runContext>;

/** RevalidateBatch: ItemBatcher's `{Items, BatchInput}`. */
export const batchInput = z.object({
  Items: z.array(manifestItem).max(1000),
  BatchInput: z.object({ cycleId: idSegment, runId: idSegment, manifestKey: z.string().min(1) }),
});
export type BatchInput = z.infer<typeof batchInput>;

export interface BatchResult {
  regions: number;
  loaded: number;
  invalid: number;
  failed: number;
}

const problem = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  location: z.object({
    file: z.string().optional(),
    sheet: z.string().optional(),
    row: z.number().optional(),
    column: z.string().optional(),
    indicator: z.string().optional(),
    path: z.string().optional(),
  }),
  message_id: z.string(),
  message_en: z.string(),
});

/** A region's file from the batch step (`runs/{c}/{r}/regions/{kode}.json`). */
export const regionFile = z.object({
  kode: regionCode,
  submissionId: idSegment,
  sourceKey: z.string(),
  outcome: z.enum(['loaded', 'invalid', 'failed']),
  problems: z.array(problem),
  /** Present when loaded: the region's share of the run's relative statistics. */
  inputs: z
    .object({
      region: regionCode,
      assessable: z.boolean(),
      values: z.record(z.string(), z.number()),
    })
    .optional(),
  /** Present when loaded: the frozen canonical submission. */
  submissionKey: z.string().optional(),
  /** Present when loaded: the frozen packed submission the aggregate scores from. */
  packedKey: z.string().optional(),
  /** Where the packed form came from: stored at validation, or packed now from the canonical JSON. */
  packedFrom: z.enum(['stored', 'canonical']).optional(),
});
export type RegionFile = z.infer<typeof regionFile>;

/** Aggregate: the whole state; `$.map` (ResultWriterDetails) is not needed: region files are found by key. */
export const aggregateInput = z.object({
  cycleId: idSegment,
  run: runRef,
  manifest: freezeResult,
});
export type AggregateInput = z.infer<typeof aggregateInput>;

export interface AggregateResult {
  resultKey: string;
  counts: { regions: number; scored: number; failed: number; ineligible: number; ranked: number };
}

/** Publish: the whole state, with `$.aggregate`. */
export const publishInput = z.object({
  cycleId: idSegment,
  run: runRef,
  aggregate: z.object({ resultKey: z.string().min(1) }),
});
export type PublishInput = z.infer<typeof publishInput>;

export interface PublishResult {
  status: 'PROVISIONAL';
  cycleStatus: string;
  historyRecorded: number;
}

/**
 * What aggregate-run stores beyond the repository records' declared fields (the items keep every
 * attribute): the published value, the outcome, rank changes. api-results reads these.
 */
export interface NationalRankingEntry extends RankingEntry {
  display: string;
  outcome: RegionOutcome;
  unranked?: UnrankedReason;
  /** Places gained since the previous cycle of the same index (positive = up). */
  rankChange?: number;
  /** Rank interval under the methodology's declared uncertainty (ranked entries). */
  interval?: RankInterval;
}

export interface NationalRegionResult extends RegionResultRecord {
  display: string;
  predikatEn: string;
  outcome: RegionOutcome;
  unranked?: UnrankedReason;
  reasons: { id: string; en: string }[];
  submissionId?: string;
  /** cluster → places gained since the previous cycle of the same index. */
  rankChange: Record<string, number>;
  previousRanks?: Record<string, number>;
  /** cluster → rank interval under the methodology's declared uncertainty (ranked clusters). */
  intervals?: Record<string, RankInterval>;
}
