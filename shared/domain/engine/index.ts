export { type Advice, type AdviceInput, adviseImprovements, type Improvement } from './advice';
export { compile } from './compile';
export type { IndicatorStats, RunStats } from './leaf';
export { type RelativeInputs, relativeInputs, statsFromInputs } from './partials';
export { type ClusterRanking, clusterMembers, type Rankable, type RankingEntry, rank } from './rank';
export { runStats, scoreRun } from './run';
export { type ScoreCard, type ScoreOptions, type ScoreResult, score, scoreFast } from './score';
export type { AggregateTrace, GroupTrace, IndicatorTrace, NodeTrace } from './trace';
export {
  type RankInterval,
  rankIntervals,
  type UncertaintyModel,
  type UncertaintySettings,
  uncertaintyModel,
  uncertaintySettings,
} from './uncertainty';
