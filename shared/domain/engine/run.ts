import type { LoadedMethodology } from '../methodology/load';
import { ProblemError, problem } from '../problems';
import type { Submission } from '../submission';
import type { RunStats } from './leaf';
import { type PackedSubmission, packedRelativeInputs } from './packed';
import { relativeInputs, statsFromInputs } from './partials';
import { type ScoreCard, type ScoreResult, score, scoreFast, scorePacked } from './score';

/** Statistics of the relative (min-max, z-score) indicators over the accepted answers of a run. */
export function runStats(methodology: LoadedMethodology, submissions: readonly Submission[]): RunStats {
  return statsFromInputs(
    methodology,
    submissions.map((s) => relativeInputs(methodology, s)),
  );
}

export interface RunResult<T> {
  stats: RunStats;
  results: T[];
}

/** The national computation: relative normalisation needs every region's values first. */
export function scoreRun(
  methodology: LoadedMethodology,
  submissions: readonly Submission[],
  options: { trace: true },
): RunResult<ScoreCard>;
export function scoreRun(
  methodology: LoadedMethodology,
  submissions: readonly Submission[],
  options?: { trace?: false },
): RunResult<ScoreResult>;
export function scoreRun(
  methodology: LoadedMethodology,
  submissions: readonly Submission[],
  options: { trace?: boolean } = {},
): RunResult<ScoreResult | ScoreCard> {
  assertOneSubmissionPerRegion(submissions);
  const stats = runStats(methodology, submissions);
  const results = options.trace
    ? submissions.map((s) => score(methodology, s, { stats, explain: false }))
    : submissions.map((s) => scoreFast(methodology, s, { stats }));
  return { stats, results };
}

/**
 * The national computation from packed submissions (what the national run stores beside each
 * canonical submission): the same statistics and results as `scoreRun` over the canonical JSON.
 */
export function scoreRunPacked(
  methodology: LoadedMethodology,
  packed: readonly PackedSubmission[],
): RunResult<ScoreResult> {
  assertOneSubmissionPerRegion(packed);
  const stats = statsFromInputs(
    methodology,
    packed.map((p) => packedRelativeInputs(methodology, p)),
  );
  return { stats, results: packed.map((p) => scorePacked(methodology, p, { stats })) };
}

function assertOneSubmissionPerRegion(submissions: readonly { region: string }[]) {
  const seen = new Set<string>();
  const problems = [];
  for (const [i, s] of submissions.entries()) {
    if (seen.has(s.region))
      problems.push(
        problem(
          'DUPLICATE_REGION',
          'error',
          { path: `[${i}].region` },
          `Daerah ${s.region} muncul lebih dari sekali dalam satu penilaian; gunakan satu pengajuan terkini per daerah.`,
          `Region ${s.region} appears more than once in one run; use one current submission per region.`,
        ),
      );
    seen.add(s.region);
  }
  if (problems.length > 0) throw new ProblemError('run', problems);
}
