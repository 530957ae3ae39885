import { rank, type ScoreCard, scoreRun } from '#domain/engine/index';
import type { RunResult } from '#domain/engine/run';
import { rankIntervals, uncertaintyModel } from '#domain/engine/uncertainty';
import { getMethodology } from '#domain/methodology/registry';
import { measure } from './measure';
import { nationalIid } from './national-data';

/**
 * Rank intervals of a national IID run. `national-iid-uncertainty-rows`: reducing the run's 552
 * traced cards (which the aggregate step computes anyway) to rows of leaf values, once per run.
 * `national-iid-uncertainty-1000`: 1,000 samples of perturbed weights over all 552 regions, each
 * re-ranked per cluster, and the intervals.
 */
export function benchUncertainty() {
  const methodology = getMethodology('iid-2023');
  if (!methodology) throw new Error('iid-2023 is not shipped');
  const model = uncertaintyModel(methodology);
  let run: RunResult<ScoreCard> | undefined = scoreRun(methodology, nationalIid(), { trace: true });
  const rankings = rank(run.results, methodology.clusters);
  const cards = run;
  measure(
    'national-iid-uncertainty-rows',
    () => new Map(cards.results.map((card) => [card.region, model.row(card.breakdown, cards.stats)])),
    { warmup: 2, runs: 11 },
  );
  const rows = new Map(run.results.map((card) => [card.region, model.row(card.breakdown, run?.stats)]));
  // The aggregate step keeps rows, not cards: the 552 traces are let go before sampling.
  run = undefined;
  (globalThis as { gc?: () => void }).gc?.();
  console.log(
    `uncertainty: ${model.settings.samples} samples, ±${model.settings.perturbation * 100} % weights, ${model.width} leaf values per region, seed ${model.settings.seed}`,
  );
  measure('national-iid-uncertainty-1000', () => rankIntervals(model, rows, rankings), {
    warmup: 2,
    runs: 11,
  });
}
