export { type Advice, type AdviceInput, adviseImprovements, type Improvement } from './advice';
export { compile } from './compile';
export type { IndicatorStats, RunStats } from './leaf';
/**
 * The packed form (packed.ts, bytes in packed-bytes.ts): a canonical submission resolved once to
 * level/value cells. `scorePacked` is the fast entry point of a national run that holds packed
 * submissions; `scoreFast` packs a canonical submission and calls it.
 */
export { isPackable, type PackedSubmission, packedRelativeInputs, packSubmission } from './packed';
export { decodePacked, encodePacked, PACKED_FORMAT_VERSION, PackedFormatError } from './packed-bytes';
export { type RelativeInputs, relativeInputs, statsFromInputs } from './partials';
export { type ClusterRanking, clusterMembers, type Rankable, type RankingEntry, rank } from './rank';
export { runStats, scoreRun, scoreRunPacked } from './run';
export {
  publishExact,
  type ScoreCard,
  type ScoreOptions,
  type ScoreResult,
  score,
  scoreFast,
  scorePacked,
} from './score';
export type { AggregateTrace, GroupTrace, IndicatorTrace, NodeTrace } from './trace';
export {
  type RankInterval,
  rankIntervals,
  type UncertaintyModel,
  type UncertaintySettings,
  uncertaintyModel,
  uncertaintySettings,
} from './uncertainty';
