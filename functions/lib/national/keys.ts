/**
 * Where a national run keeps its files in the upload bucket: everything of one run lives under
 * `runs/{cycleId}/{runId}/`, written once per run (a re-run has a new run id, hence a new folder).
 */
export const runPrefix = (cycleId: string, runId: string): string => `runs/${cycleId}/${runId}/`;

export const runKeys = (cycleId: string, runId: string) => {
  const prefix = runPrefix(cycleId, runId);
  return {
    prefix,
    /** Methodology, period and trigger of the run (read by every batch). */
    context: `${prefix}context.json`,
    /** The Distributed Map's ItemReader input: a JSON array, one item per submitting region. */
    manifest: `${prefix}manifest.json`,
    /** A region's outcome in the batch step: loaded / invalid / failed, problems, relative inputs. */
    region: (kode: string) => `${prefix}regions/${kode}.json`,
    /** The region's submission as frozen for this run (the canonical JSON, validated). */
    frozenSubmission: (kode: string) => `${prefix}regions/${kode}.submission.json`,
    /** The region's packed submission as frozen for this run (what the aggregate scores from). */
    frozenPacked: (kode: string) => `${prefix}regions/${kode}.packed.bin`,
    /** The region's score card with its full derivation trace (or its problems when not scored). */
    card: (kode: string) => `${prefix}cards/${kode}.json`,
    /** Every region's result and ranks (what the table holds, as one document). */
    results: `${prefix}results.json`,
  };
};

/**
 * Where the submission side keeps the canonical submission JSON of an accepted upload (written by
 * validate-submission; `canonicalKey` in functions/lib/submissions/layout.ts, kept equal by a test).
 */
export const canonicalSubmissionKey = (cycleId: string, kode: string, submissionId: string): string =>
  `reports/${cycleId}/${kode}/${submissionId}.submission.json`;

/**
 * The packed form validate-submission stores beside a canonical submission (`packedKey` in
 * functions/lib/submissions/layout.ts, kept equal by a test): the canonical key with
 * `.packed.bin` for `.submission.json`.
 */
export const packedSubmissionKey = (canonicalKey: string): string =>
  canonicalKey.replace(/\.submission\.json$/, '.packed.bin');
