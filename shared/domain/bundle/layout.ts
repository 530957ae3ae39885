import * as z from 'zod';

/**
 * The reproducibility bundle's layout (format `indeks-bundle/1`, docs/architecture.md
 * "Reproducibility bundle"): one zip per published run, every file listed with its sha256 in
 * `manifest.json`. Paths are said here once; the builder and `reproduce` both read them.
 */
export const BUNDLE_FORMAT = 'indeks-bundle/1';

export const BUNDLE_PATHS = {
  manifest: 'manifest.json',
  code: 'code.json',
  run: 'run.json',
  /** The methodology as bound to the cycle: canonical JSON, so sha256(bytes) is its hash. */
  methodology: (id: string) => `methodology/${id}.json`,
  /** The submission the run scored (frozen at the run, self-assessed), as the run stored it. */
  selfSubmission: (kode: string) => `submissions/self/${kode}.json`,
  /** The same with every counting verification decision applied (regions with decisions only). */
  verifiedSubmission: (kode: string) => `submissions/verified/${kode}.json`,
  /** The region's verification decisions: the counting one per answer, and every slot's record. */
  decisions: (kode: string) => `decisions/${kode}.json`,
  /** The run's results document as the national run wrote it (`runs/{c}/{r}/results.json`). */
  results: 'results/results.json',
  resultsCsv: 'results/results.csv',
  ranksCsv: 'results/ranks.csv',
  /** The cycle's ledger up to publication, JSON Lines in seq order. */
  ledger: 'ledger.jsonl',
} as const;

/** Package and commit of the code that built the bundle (`code.json`, repeated in the manifest). */
export const codeInfo = z.object({
  package: z.object({ name: z.string(), version: z.string() }),
  /** `git rev-parse HEAD` of the deployed code, or "unknown" when it was not recorded. */
  commit: z.string().min(1),
});
export type CodeInfo = z.infer<typeof codeInfo>;

const methodologyRef = z.object({ id: z.string().min(1), hash: z.string().min(1) });

/** `run.json`: what was published and what to recompute it from. */
export const bundleRun = z.object({
  format: z.literal(BUNDLE_FORMAT),
  cycleId: z.string().min(1),
  runId: z.string().min(1),
  index: z.string(),
  period: z.number(),
  status: z.string(),
  startedAt: z.string(),
  finalizedAt: z.string().optional(),
  methodology: methodologyRef.extend({ file: z.string().min(1) }),
  /** The folder of the submissions the run's results were computed from. */
  scoredFrom: z.literal('submissions/self/'),
  /** The ledger head at publication; absent when the cycle had no ledger entries. */
  ledger: z
    .object({
      entries: z.number().int().min(0),
      head: z.object({ seq: z.number().int().min(1), hash: z.string() }).optional(),
    })
    .optional(),
});
export type BundleRun = z.infer<typeof bundleRun>;

/** The part of each region's result that `reproduce` compares (results/results.json). */
export const bundleRegionResult = z.object({
  kode: z.string().min(1),
  score: z.number(),
  display: z.string(),
  predikat: z.string(),
  eligible: z.boolean(),
  outcome: z.enum(['scored', 'not-submitted', 'invalid', 'failed']),
  ranks: z.record(z.string(), z.number()),
  submissionId: z.string().optional(),
});
export type BundleRegionResult = z.infer<typeof bundleRegionResult>;

export const bundleResults = z.object({
  cycleId: z.string(),
  runId: z.string(),
  methodology: methodologyRef,
  results: z.array(bundleRegionResult.passthrough()),
});
