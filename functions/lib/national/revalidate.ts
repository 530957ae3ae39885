import { packedSubmissionKey, runKeys } from '#adapters/bucket-layout';
import { asTransient, isMissingObject } from '#adapters/transient';
import {
  decodePacked,
  encodePacked,
  isPackable,
  PackedFormatError,
  type PackedSubmission,
  packSubmission,
  relativeInputs,
} from '#domain/engine/index';
import { InternalError } from '#domain/errors';
import type { LoadedMethodology } from '#domain/methodology/load';
import { zodProblems } from '#domain/methodology/load';
import { hasErrors, type Problem, problem } from '#domain/problems';
import { type Submission, submissionSchema } from '#domain/submission';
import { type SurveyAnswers, withChannelSurvey } from '#domain/survey/index';
import { validateSubmission } from '#intake/validate/index';
import { mapLimit } from '#util/pool';
import {
  type BatchInput,
  type BatchResult,
  type ManifestItem,
  type RegionFile,
  runContext,
} from './contracts';
import { cycleMethodology } from './freeze';

/** A canonical submission above this size is refused as data, not loaded (the intake limit is 10 MB). */
export const MAX_SUBMISSION_BYTES = 64 * 1024 * 1024;

export interface BatchObjects {
  getBytes(key: string, options?: { maxBytes?: number }): Promise<Buffer>;
  getJson<T = unknown>(key: string): Promise<T>;
  putJson(key: string, value: unknown): Promise<void>;
  put(key: string, body: string | Uint8Array, contentType: string): Promise<void>;
}

export interface BatchDeps {
  objects: BatchObjects;
  methodologyOf: (id: string) => LoadedMethodology | undefined;
  /**
   * The IKKD survey channel's answers of a region (issue 14), read once the window has closed. When
   * there are any they replace the file's paper survey, so the run scores them through the same
   * survey aggregation, marked `channel`.
   */
  channelAnswers?: (cycleId: string, kode: string) => Promise<SurveyAnswers[]>;
}

/**
 * The parallel half of the national run, per region of the batch: load the canonical submission,
 * validate it again against the cycle's methodology, freeze it under the run, and extract what the
 * run's relative statistics need. Scoring waits for the aggregate: relative normalisation needs
 * every region first. A region's bad data is a result (`invalid`/`failed`), never an exception;
 * S3 hiccups throw TransientError (retried; the rewrite is identical).
 */
export async function revalidateRegionBatch(input: BatchInput, deps: BatchDeps): Promise<BatchResult> {
  const { cycleId, runId, manifestKey } = input.BatchInput;
  const keys = runKeys(cycleId, runId);
  if (manifestKey !== keys.manifest)
    throw new InternalError(
      'ManifestMismatch',
      `manifest ${manifestKey} is not the run's (${keys.manifest})`,
    );
  const context = runContext.parse(
    await deps.objects.getJson(keys.context).catch((e: unknown) => asTransient(e, 'reading the run context')),
  );
  const methodology = cycleMethodology(deps.methodologyOf, context.methodology);

  const files = await mapLimit(input.Items, 5, async (item) => {
    const channel =
      methodology.survey && deps.channelAnswers
        ? await deps
            .channelAnswers(cycleId, item.kode)
            .catch((e: unknown) => asTransient(e, `survey ${item.kode}`))
        : [];
    const loaded = await loadRegion(item, methodology, deps.objects, channel);
    if (loaded.document !== undefined) {
      await deps.objects
        .putJson(keys.frozenSubmission(item.kode), loaded.document)
        .catch((e: unknown) => asTransient(e, `freezing ${item.kode}`));
    }
    if (loaded.packed !== undefined) {
      await deps.objects
        .put(keys.frozenPacked(item.kode), loaded.packed.bytes, 'application/octet-stream')
        .catch((e: unknown) => asTransient(e, `freezing ${item.kode} (packed)`));
    }
    const file: RegionFile = {
      kode: item.kode,
      submissionId: item.submissionId,
      sourceKey: item.sourceKey,
      outcome: loaded.outcome,
      problems: loaded.problems,
      ...(loaded.inputs ? { inputs: loaded.inputs, submissionKey: keys.frozenSubmission(item.kode) } : {}),
      ...(loaded.packed ? { packedKey: keys.frozenPacked(item.kode), packedFrom: loaded.packed.from } : {}),
    };
    // Written last: its presence means the region's step is complete.
    await deps.objects
      .putJson(keys.region(item.kode), file)
      .catch((e: unknown) => asTransient(e, `writing ${item.kode}`));
    return file;
  });
  return {
    regions: files.length,
    loaded: files.filter((f) => f.outcome === 'loaded').length,
    invalid: files.filter((f) => f.outcome === 'invalid').length,
    failed: files.filter((f) => f.outcome === 'failed').length,
  };
}

interface Loaded {
  outcome: RegionFile['outcome'];
  problems: Problem[];
  document?: unknown;
  inputs?: RegionFile['inputs'];
  packed?: { bytes: Uint8Array; from: 'stored' | 'canonical' };
}

async function loadRegion(
  item: ManifestItem,
  methodology: LoadedMethodology,
  objects: BatchObjects,
  channel: readonly SurveyAnswers[] = [],
): Promise<Loaded> {
  const file = item.sourceKey;
  let bytes: Buffer;
  try {
    bytes = await objects.getBytes(item.sourceKey, { maxBytes: MAX_SUBMISSION_BYTES });
  } catch (error) {
    if (isMissingObject(error))
      return failed(
        'SOURCE_MISSING',
        file,
        `Data kanonik pengajuan ${item.submissionId} tidak ditemukan (${file}).`,
        `The canonical data of submission ${item.submissionId} was not found (${file}).`,
      );
    if (error instanceof Error && error.name === 'ObjectTooLargeError')
      return failed(
        'SOURCE_TOO_LARGE',
        file,
        `Data kanonik pengajuan ${item.submissionId} melebihi ${MAX_SUBMISSION_BYTES / 1048576} MB.`,
        `The canonical data of submission ${item.submissionId} is above ${MAX_SUBMISSION_BYTES / 1048576} MB.`,
      );
    return asTransient(error, `reading ${file}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return invalid([
      problem(
        'SOURCE_NOT_JSON',
        'error',
        { file },
        'Data kanonik pengajuan bukan JSON yang sah.',
        'The canonical submission is not valid JSON.',
      ),
    ]);
  }
  const schema = submissionSchema.safeParse(parsed);
  if (!schema.success) return invalid(zodProblems(schema.error, file));
  const submission = channel.length > 0 ? withChannelSurvey(schema.data, channel) : schema.data;
  const problems: Problem[] = [];
  if (submission.region !== item.kode)
    problems.push(
      problem(
        'REGION_MISMATCH',
        'error',
        { file, path: 'region' },
        `Pengajuan untuk wilayah ${item.kode} berisi data wilayah ${submission.region}.`,
        `The submission for region ${item.kode} holds data of region ${submission.region}.`,
      ),
    );
  problems.push(
    ...validateSubmission(submission, { methodology, region: item.kode }).map((p) => ({
      ...p,
      location: { file, ...p.location },
    })),
  );
  if (hasErrors(problems)) return invalid(problems);
  return {
    outcome: 'loaded',
    problems,
    // Frozen as scored: with the channel's answers in place of a paper survey.
    document: channel.length > 0 ? submission : parsed,
    inputs: relativeInputs(methodology, submission),
    ...(isPackable(methodology)
      ? // The channel's answers replace the survey the stored form was packed with: pack anew.
        { packed: await packedForRun(item, methodology, submission, objects, channel.length === 0) }
      : {}),
  };
}

/**
 * The packed form stored at validation, when it is there and was packed for this methodology and
 * region; otherwise (older submissions, another methodology revision, unreadable bytes) packed
 * now from the canonical JSON just validated. Either way the same cells.
 */
async function packedForRun(
  item: ManifestItem,
  methodology: LoadedMethodology,
  submission: Submission,
  objects: BatchObjects,
  storedUsable = true,
): Promise<{ bytes: Uint8Array; from: 'stored' | 'canonical' }> {
  if (!storedUsable)
    return { bytes: encodePacked(packSubmission(methodology, submission)), from: 'canonical' };
  const key = packedSubmissionKey(item.sourceKey);
  let stored: PackedSubmission | undefined;
  let bytes: Uint8Array | undefined;
  if (key !== item.sourceKey) {
    try {
      bytes = await objects.getBytes(key, { maxBytes: MAX_SUBMISSION_BYTES });
      stored = decodePacked(bytes);
    } catch (error) {
      const unreadable =
        error instanceof PackedFormatError ||
        (error instanceof Error && error.name === 'ObjectTooLargeError');
      if (!isMissingObject(error) && !unreadable) return asTransient(error, `reading ${key}`);
    }
  }
  const current =
    stored !== undefined &&
    bytes !== undefined &&
    stored.methodology.id === methodology.id &&
    stored.methodology.hash === methodology.hash &&
    stored.region === submission.region;
  if (current && bytes) return { bytes, from: 'stored' };
  return { bytes: encodePacked(packSubmission(methodology, submission)), from: 'canonical' };
}

const invalid = (problems: Problem[]): Loaded => ({ outcome: 'invalid', problems });

const failed = (code: string, file: string, id: string, en: string): Loaded => ({
  outcome: 'failed',
  problems: [problem(code, 'error', { file }, id, en)],
});
