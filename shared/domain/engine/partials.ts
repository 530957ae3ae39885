import type { LoadedMethodology } from '../methodology/load';
import type { Submission } from '../submission';
import { isAssessable } from './assessable';
import { compile } from './compile';
import type { IndicatorStats, RunStats } from './leaf';

/**
 * What one region contributes to a national run's relative statistics, computed alone (e.g. in a
 * parallel batch): whether it is assessable, and its accepted values of the relative indicators.
 */
export interface RelativeInputs {
  region: string;
  assessable: boolean;
  /** Relative indicator code → accepted raw value (rejected or empty answers are left out). */
  values: Record<string, number>;
}

export function relativeInputs(methodology: LoadedMethodology, submission: Submission): RelativeInputs {
  const c = compile(methodology);
  const values: Record<string, number> = {};
  for (const code of c.relativeCodes) {
    const a = submission.indicators[code];
    if (!a || a.status === 'rejected' || a.value === undefined) continue;
    values[code] = a.value;
  }
  return { region: submission.region, assessable: isAssessable(c, submission), values };
}

/**
 * The run's statistics from every region's inputs. Equal to `runStats` over the submissions when
 * the inputs are in the same order (floating-point sums depend on the order).
 */
export function statsFromInputs(methodology: LoadedMethodology, inputs: readonly RelativeInputs[]): RunStats {
  const c = compile(methodology);
  const stats = new Map<string, IndicatorStats>();
  // Regions that submitted nothing evidence-based score 0 anyway; they must not move others' goalposts.
  const assessable = inputs.filter((i) => i.assessable);
  for (const code of c.relativeCodes) {
    let count = 0;
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    const values: number[] = [];
    for (const input of assessable) {
      const value = input.values[code];
      if (value === undefined) continue;
      values.push(value);
      count++;
      sum += value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    if (count === 0) continue;
    const mean = sum / count;
    let squares = 0;
    for (const v of values) squares += (v - mean) * (v - mean);
    stats.set(code, { count, min, max, mean, sd: Math.sqrt(squares / count) });
  }
  return stats;
}
