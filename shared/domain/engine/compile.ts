import type { LoadedMethodology } from '../methodology/load';
import { nodeMaximum, ruleMaximum } from '../methodology/maximum';
import type { HierarchyNode, Indicator, NumericBand } from '../methodology/schema';

/** A methodology prepared once for fast repeated scoring: lookups become arrays. */
export interface CompiledIndicator {
  code: string;
  def: Indicator;
  /** value by level number; NaN where a level is not defined (level 0 is always worth 0). */
  levelValues: number[];
  /** Bands sorted by lower bound, for numeric rules. */
  bands: NumericBand[];
  /** The same bands as boundaries: value v is past boundary i when v > cuts[i], or equal and `upperOwns[i]`. */
  cuts: Float64Array;
  upperOwns: Uint8Array;
  /** levelAt[j] is the level of the band above j passed boundaries. */
  levelAt: Int32Array;
  relative: boolean;
  surveyScale: { min: number; max: number };
  surveyMinRespondents: number;
  /** The best value the rule can produce. */
  max: number;
}

export interface CompiledMethodology {
  methodology: LoadedMethodology;
  indicators: Map<string, CompiledIndicator>;
  /** Region-level indicators scored relative to the run (min-max, z-score). */
  relativeCodes: string[];
  rawMax: number;
  /** Memoized maximum of any node of this methodology's hierarchy. */
  maxOf: (node: HierarchyNode) => number;
}

const cache = new WeakMap<LoadedMethodology, CompiledMethodology>();

export function compile(methodology: LoadedMethodology): CompiledMethodology {
  const hit = cache.get(methodology);
  if (hit) return hit;
  const indicators = new Map<string, CompiledIndicator>();
  for (const def of methodology.indicators) {
    const levelValues: number[] = [0];
    const bands: NumericBand[] = [];
    if (def.rule.type === 'level' || def.rule.type === 'bands') {
      for (const option of def.rule.levels) {
        while (levelValues.length <= option.level) levelValues.push(Number.NaN);
        levelValues[option.level] = option.value ?? option.level;
      }
    }
    if (def.rule.type === 'bands')
      bands.push(
        ...[...def.rule.bands].sort(
          (a, b) => (a.min ?? Number.NEGATIVE_INFINITY) - (b.min ?? Number.NEGATIVE_INFINITY),
        ),
      );
    const boundaries = bands.slice(1);
    indicators.set(def.code, {
      code: def.code,
      def,
      levelValues,
      bands,
      cuts: Float64Array.from(boundaries, (b) => b.min ?? Number.NEGATIVE_INFINITY),
      upperOwns: Uint8Array.from(boundaries, (b) => (b.minInclusive ? 1 : 0)),
      levelAt: Int32Array.from(bands, (b) => b.level),
      relative: def.rule.type === 'min-max' || def.rule.type === 'z-score',
      surveyScale: methodology.survey?.scale ?? { min: 1, max: 5 },
      surveyMinRespondents: methodology.survey?.minRespondents ?? 1,
      max: ruleMaximum(def.rule),
    });
  }
  const maxima = new WeakMap<HierarchyNode, number>();
  const maxOf = (node: HierarchyNode): number => {
    let max = maxima.get(node);
    if (max === undefined) {
      max = nodeMaximum(node, methodology);
      maxima.set(node, max);
    }
    return max;
  };
  const compiled: CompiledMethodology = {
    maxOf,
    methodology,
    indicators,
    relativeCodes: [...indicators.values()].filter((i) => i.relative).map((i) => i.code),
    rawMax: nodeMaximum(methodology.root, methodology),
  };
  cache.set(methodology, compiled);
  return compiled;
}
