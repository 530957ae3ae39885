import type { LoadedMethodology } from '../methodology/load';
import type { AggregateNode, HierarchyNode, RepeatedGroupNode } from '../methodology/schema';
import type { Answer, GroupItem, Submission } from '../submission';
import { isAssessable } from './assessable';
import { type CompiledIndicator, type CompiledMethodology, compile } from './compile';
import { aggregateSurvey, levelOfValue, type RunStats } from './leaf';
import type { RelativeInputs } from './partials';
import {
  add,
  clamp,
  decimal,
  div,
  mul,
  type Rational,
  rational,
  reduce,
  sub,
  toNumber,
  ZERO,
} from './rational';

/**
 * A canonical submission packed for one methodology: every answer resolved once to one cell (the
 * level it earns, or its raw value for value rules), innovations as rows of level cells. The fast
 * path scores only this form, in exact integer arithmetic, so a national run is a few table lookups
 * per answer and the published value is the half-up rounding of the exact index.
 * docs/architecture.md ("Packed submissions") describes the stored bytes (packed-bytes.ts).
 */
export interface PackedSubmission {
  methodology: { id: string; hash: string };
  region: string;
  period: number;
  profile: Record<string, string>;
  /** Something evidence-based was submitted (computed from the canonical submission when packing). */
  assessable: boolean;
  /** Region-level leaves in hierarchy order (`packedLayout(...).slots`): the level earned, 0 = no points. */
  levels: Uint8Array;
  /** Value rules (goalpost, min-max, z-score): the accepted raw value, NaN when none. */
  values: Float64Array;
  /** Survey leaves: valid respondents and the sum of their answers (0 elsewhere). */
  surveyValid: Float64Array;
  surveyTotal: Float64Array;
  groups: PackedGroup[];
}

export interface PackedGroup {
  group: string;
  items: number;
  /** 1 where the item was rejected at verification (it stays in the divisor). */
  rejected: Uint8Array;
  /** `items x width` level cells, row by row, in the item hierarchy's leaf order; 0 = no points. */
  levels: Uint8Array;
  /** The count score's condition values covered by accepted items (sorted). */
  covered: string[];
}

/** How a methodology lays out its packed cells. */
export interface PackedLayout {
  /** Region-level indicator codes, one per cell, in hierarchy order. */
  slots: string[];
  groups: { group: string; columns: string[] }[];
}

type Exact = Rational | null;
type ExactEvaluator = (p: PackedSubmission, stats: RunStats | undefined) => Exact;

interface Program {
  layout: PackedLayout;
  evaluate: ExactEvaluator;
  rawMax: Rational;
  /** scale / rawMax: the index is raw x toIndex. */
  toIndex: Rational | undefined;
}

const programs = new WeakMap<CompiledMethodology, Program | undefined>();

/** Level cells are bytes; a level above this is not defined by any shipped rule and earns nothing. */
const MAX_LEVEL = 255;
const STRIDE = MAX_LEVEL + 1;

export class NotPackableError extends Error {
  override name = 'NotPackableError';
}

/** The packed program of a methodology, or undefined when its shape is not packable (see `compileProgram`). */
function programOf(c: CompiledMethodology): Program | undefined {
  if (programs.has(c)) return programs.get(c);
  let program: Program | undefined;
  try {
    program = compileProgram(c);
  } catch (error) {
    if (!(error instanceof NotPackableError)) throw error;
  }
  programs.set(c, program);
  return program;
}

/** True when submissions of this methodology can be packed (every shipped methodology can). */
export const isPackable = (m: LoadedMethodology): boolean => programOf(compile(m)) !== undefined;

export function packedLayout(m: LoadedMethodology): PackedLayout {
  const program = programOf(compile(m));
  if (!program) throw new NotPackableError(`methodology ${m.id} cannot be packed`);
  return program.layout;
}

/** Resolves every answer of a canonical submission to its cell, once. */
export function packSubmission(m: LoadedMethodology, submission: Submission): PackedSubmission {
  const c = compile(m);
  const program = programOf(c);
  if (!program) throw new NotPackableError(`methodology ${m.id} cannot be packed`);
  const { slots, groups } = program.layout;
  const levels = new Uint8Array(slots.length);
  const values = new Float64Array(slots.length).fill(Number.NaN);
  const surveyValid = new Float64Array(slots.length);
  const surveyTotal = new Float64Array(slots.length);
  const packed: PackedSubmission = {
    methodology: { id: m.id, hash: m.hash },
    region: submission.region,
    period: submission.period,
    profile: submission.profile,
    assessable: isAssessable(c, submission),
    levels,
    values,
    surveyValid,
    surveyTotal,
    groups: [],
  };
  slots.forEach((_, i) => {
    packSlot(c, slots, i, submission, packed);
  });
  packed.groups = groups.map(({ group, columns }, g): PackedGroup => {
    const items = submission.groups[group] ?? [];
    const packedGroup: PackedGroup = {
      group,
      items: items.length,
      rejected: new Uint8Array(items.length),
      levels: new Uint8Array(items.length * columns.length),
      covered: [],
    };
    for (let row = 0; row < items.length; row++) packRow(c, columns, items, row, packedGroup);
    packedGroup.covered = coveredValues(c, g, items);
    return packedGroup;
  });
  return packed;
}

/** One region-level cell from the canonical answer (survey slots from the respondents). */
function packSlot(
  c: CompiledMethodology,
  slots: readonly string[],
  i: number,
  submission: Submission,
  p: Pick<PackedSubmission, 'levels' | 'values' | 'surveyValid' | 'surveyTotal'>,
) {
  const indicator = c.indicators.get(slots[i] ?? '');
  if (!indicator) return;
  const rule = indicator.def.rule;
  if (rule.type === 'survey') {
    const s = aggregateSurvey(rule.items, submission, indicator.surveyScale, indicator.surveyMinRespondents);
    p.surveyValid[i] = s.valid;
    p.surveyTotal[i] = s.total;
    return;
  }
  const answer = submission.indicators[indicator.code];
  if (rule.type === 'level' || rule.type === 'bands') p.levels[i] = levelCell(indicator, answer);
  else
    p.values[i] =
      answer && answer.status !== 'rejected' && answer.value !== undefined ? answer.value : Number.NaN;
}

/** One innovation's row of level cells (all 0 when the item was rejected, which keeps it in the divisor). */
function packRow(
  c: CompiledMethodology,
  columns: readonly string[],
  items: readonly GroupItem[],
  row: number,
  into: PackedGroup,
) {
  const item = items[row];
  const width = columns.length;
  if (!item) return;
  into.rejected[row] = item.status === 'rejected' ? 1 : 0;
  for (let col = 0; col < width; col++) {
    const indicator = c.indicators.get(columns[col] ?? '');
    into.levels[row * width + col] =
      indicator && item.status !== 'rejected' ? levelCell(indicator, item.indicators[indicator.code]) : 0;
  }
}

/** The count score's condition values covered by accepted items (sorted). */
function coveredValues(c: CompiledMethodology, g: number, items: readonly GroupItem[]): string[] {
  const node = groupNodes(c)[g] as RepeatedGroupNode;
  const field = node.countScore?.condition?.field;
  if (field === undefined) return [];
  const wanted = new Set(node.countScore?.condition?.values ?? []);
  const seen = new Set<string>();
  for (const item of items) {
    if (item.status === 'rejected') continue;
    const v = item.fields[field];
    if (typeof v === 'string' && wanted.has(v)) seen.add(v);
  }
  return [...seen].sort();
}

/**
 * Where one answer of a canonical submission sits in its packed form: a region-level indicator,
 * or an item of a repeated group (as a whole or one of its answers).
 */
export type PackedTarget = { indicator: string } | { group: string; itemId: string };

/**
 * Brings a packed submission in line with its canonical submission after one answer changed (a
 * verification decision applied in place): only that cell, or that item's row and its group's
 * coverage, is repacked, and assessability re-checked. Equal to packing the whole submission again
 * (a property test holds it), at the cost of one row.
 */
export function repackAnswer(
  m: LoadedMethodology,
  packed: PackedSubmission,
  submission: Submission,
  target: PackedTarget,
): void {
  const c = compile(m);
  const program = programOf(c);
  if (!program) throw new NotPackableError(`methodology ${m.id} cannot be packed`);
  assertSameMethodology(m, packed);
  const { slots, groups } = program.layout;
  if ('indicator' in target) {
    const i = slots.indexOf(target.indicator);
    if (i >= 0) packSlot(c, slots, i, submission, packed);
  } else {
    const g = groups.findIndex((x) => x.group === target.group);
    const layout = groups[g];
    const into = packed.groups[g];
    const items = submission.groups[target.group] ?? [];
    const row = items.findIndex((item) => item.id === target.itemId);
    if (layout && into && row >= 0 && into.items === items.length) {
      packRow(c, layout.columns, items, row, into);
      into.covered = coveredValues(c, g, items);
    }
  }
  packed.assessable = isAssessable(c, submission);
}

/** The level an answer earns on a level or bands rule; 0 when it earns nothing (missing, rejected, undefined level). */
function levelCell(indicator: CompiledIndicator, answer: Answer | undefined): number {
  if (answer === undefined || answer.status === 'rejected') return 0;
  let level = answer.level;
  if (level === undefined) {
    if (indicator.def.rule.type !== 'bands' || answer.value === undefined) return 0;
    level = levelOfValue(indicator, answer.value);
  }
  const value = indicator.levelValues[level];
  return level <= MAX_LEVEL && value !== undefined && !Number.isNaN(value) ? level : 0;
}

/** The exact index on the methodology's scale: raw / rawMax x scale (0 when nothing was scored). */
export function exactIndex(m: LoadedMethodology, p: PackedSubmission, stats: RunStats | undefined): Rational {
  const program = programOf(compile(m));
  if (!program) throw new NotPackableError(`methodology ${m.id} cannot be packed`);
  assertSameMethodology(m, p);
  if (!p.assessable || !program.toIndex) return ZERO;
  const raw = program.evaluate(p, stats);
  return raw === null ? ZERO : reduce(mul(raw, program.toIndex));
}

export function assertSameMethodology(m: LoadedMethodology, p: PackedSubmission) {
  if (p.methodology.id !== m.id || p.methodology.hash !== m.hash)
    throw new NotPackableError(
      `packed for ${p.methodology.id}@${p.methodology.hash.slice(0, 12)}, scored with ${m.id}@${m.hash.slice(0, 12)}`,
    );
}

const groupNodeCache = new WeakMap<CompiledMethodology, RepeatedGroupNode[]>();

function groupNodes(c: CompiledMethodology): RepeatedGroupNode[] {
  let hit = groupNodeCache.get(c);
  if (!hit) {
    hit = [];
    const visit = (node: HierarchyNode) => {
      if (node.kind === 'repeated-group') hit?.push(node);
      else if (node.kind === 'aggregate') node.children.forEach(visit);
    };
    visit(c.methodology.root);
    groupNodeCache.set(c, hit);
  }
  return hit;
}

/**
 * Compiles the exact evaluator. Region-level sums of level leaves and every innovation are summed
 * as integers in the methodology's own decimal units (0.75 x 3 is 225 hundredths), so no rounding
 * happens before the one division by the divisor and the maximum. Value rules are exact in the
 * decimals of their inputs; the two that are irrational by nature (a z-score's standard deviation,
 * a geometric mean) enter as the exact decimal of their double.
 */
function compileProgram(c: CompiledMethodology): Program {
  const slots: string[] = [];
  const groups: PackedLayout['groups'] = [];
  const allocate = (code: string): number => slots.push(code) - 1;
  const compileNode = (node: HierarchyNode): ExactEvaluator => {
    if (node.kind === 'indicator') return compileLeaf(c, node.indicator, allocate(node.indicator));
    if (node.kind === 'repeated-group') {
      const columns: { code: string; coefficient: Rational }[] = [];
      flattenItem(c, node.item, rational(1n), columns);
      groups.push({ group: node.group, columns: columns.map((col) => col.code) });
      return compileGroup(c, node, groups.length - 1, columns);
    }
    return compileLevelSum(c, node, allocate) ?? compileAggregate(node, compileNode);
  };
  const evaluate = compileNode(c.methodology.root);
  const rawMax = reduce(exactMaximum(c, c.methodology.root));
  const toIndex = rawMax.num > 0n ? div(decimal(c.methodology.output.scale), rawMax) : undefined;
  return { layout: { slots, groups }, evaluate, rawMax, toIndex };
}

/** Units: the coefficient of each (leaf, level) as an integer count of 1/den. */
interface UnitTable {
  table: Float64Array;
  den: bigint;
}

function unitTable(c: CompiledMethodology, leaves: { code: string; coefficient: Rational }[]): UnitTable {
  const exact: Rational[][] = leaves.map(({ code, coefficient }) => {
    const indicator = c.indicators.get(code);
    return (indicator?.levelValues ?? [0]).map((v) =>
      Number.isNaN(v) ? ZERO : mul(coefficient, decimal(v)),
    );
  });
  let den = 1n;
  for (const row of exact) for (const r of row) den = lcm(den, r.den);
  const table = new Float64Array(leaves.length * STRIDE);
  let rowMax = 0;
  exact.forEach((row, i) => {
    let best = 0;
    row.forEach((r, level) => {
      if (level > MAX_LEVEL) return;
      const units = Number((r.num * den) / r.den);
      if (!Number.isSafeInteger(units)) throw new NotPackableError('level value too fine for exact units');
      table[i * STRIDE + level] = units;
      best = Math.max(best, Math.abs(units));
    });
    rowMax += best;
  });
  // Sums of a million rows must stay exact integers in a double.
  if (rowMax * 1e6 > Number.MAX_SAFE_INTEGER)
    throw new NotPackableError('level values too large for exact units');
  return { table, den };
}

function lcm(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return (a / x) * b;
}

/** An item hierarchy as one linear form over its leaves: weighted sums and means of level leaves only. */
function flattenItem(
  c: CompiledMethodology,
  node: HierarchyNode,
  coefficient: Rational,
  out: { code: string; coefficient: Rational }[],
) {
  if (node.kind === 'indicator') {
    const type = c.indicators.get(node.indicator)?.def.rule.type;
    if (type !== 'level' && type !== 'bands')
      throw new NotPackableError(`item leaf ${node.indicator} is not a level rule`);
    out.push({ code: node.indicator, coefficient });
    return;
  }
  if (node.kind === 'repeated-group') throw new NotPackableError('a repeated group inside an item');
  if (node.aggregation === 'geometric-mean') throw new NotPackableError('geometric mean inside an item');
  // Level leaves are never excluded, so a weighted mean always divides by all its weights.
  const total = node.children.reduce((s, child) => add(s, decimal(child.weight)), ZERO);
  for (const child of node.children) {
    const w = decimal(child.weight);
    const share = node.aggregation === 'weighted-sum' ? w : total.num === 0n ? ZERO : div(w, total);
    flattenItem(c, child, mul(coefficient, share), out);
  }
}

function compileGroup(
  c: CompiledMethodology,
  node: RepeatedGroupNode,
  index: number,
  columns: { code: string; coefficient: Rational }[],
): ExactEvaluator {
  const { table, den } = unitTable(c, columns);
  const width = columns.length;
  const count = node.countScore;
  const perItem = count ? decimal(count.perItem) : ZERO;
  return (p) => {
    const g = p.groups[index];
    if (!g) return ZERO;
    const { levels, rejected, items } = g;
    let units = 0;
    let accepted = 0;
    for (let row = 0; row < items; row++) {
      if (rejected[row] === 1) continue;
      accepted++;
      const base = row * width;
      for (let col = 0; col < width; col++)
        units += table[col * STRIDE + (levels[base + col] as number)] as number;
    }
    const divisor = BigInt(Math.max(node.minDivisor, items));
    let value: Rational = { num: BigInt(units), den: den * divisor };
    if (count) {
      const counted = count.counts === 'all' ? items : accepted;
      const met = !count.condition || g.covered.length >= count.condition.atLeast;
      if (met)
        value = add(value, { num: perItem.num * BigInt(Math.min(counted, count.cap)), den: perItem.den });
    }
    return value;
  };
}

function compileAggregate(
  node: AggregateNode,
  compileNode: (node: HierarchyNode) => ExactEvaluator,
): ExactEvaluator {
  const children = node.children.map(compileNode);
  const weights = node.children.map((child) => decimal(child.weight));
  const floatWeights = node.children.map((child) => child.weight);
  switch (node.aggregation) {
    case 'weighted-sum':
    case 'weighted-mean': {
      const mean = node.aggregation === 'weighted-mean';
      return (p, stats) => {
        let sum: Rational = ZERO;
        let used: Rational = ZERO;
        let scored = 0;
        children.forEach((child, i) => {
          const v = child(p, stats);
          if (v === null) return;
          const w = weights[i] as Rational;
          sum = add(sum, mul(w, v));
          used = add(used, w);
          scored++;
        });
        if (scored === 0) return null;
        if (!mean) return sum;
        return used.num === 0n ? null : div(sum, used);
      };
    }
    case 'geometric-mean':
      return (p, stats) => {
        let logSum = 0;
        let used = 0;
        let zero = false;
        children.forEach((child, i) => {
          const v = child(p, stats);
          if (v === null) return;
          const w = floatWeights[i] as number;
          if (v.num <= 0n) zero = true;
          else logSum += w * Math.log(toNumber(v));
          used += w;
        });
        if (used === 0) return null;
        return zero ? ZERO : decimal(Math.exp(logSum / used));
      };
  }
}

/** A weighted sum of level leaves (SPD) as one integer sum over a unit table. */
function compileLevelSum(
  c: CompiledMethodology,
  node: AggregateNode,
  allocate: (code: string) => number,
): ExactEvaluator | undefined {
  if (node.aggregation !== 'weighted-sum') return undefined;
  const leaves: { code: string; coefficient: Rational }[] = [];
  for (const child of node.children) {
    const type = child.kind === 'indicator' ? c.indicators.get(child.indicator)?.def.rule.type : undefined;
    if (child.kind !== 'indicator' || (type !== 'level' && type !== 'bands')) return undefined;
    leaves.push({ code: child.indicator, coefficient: decimal(child.weight) });
  }
  // Consecutive slots in hierarchy order, as compileNode would have given them one by one.
  const first = leaves.map((leaf) => allocate(leaf.code))[0] ?? 0;
  const { table, den } = unitTable(c, leaves);
  const n = leaves.length;
  return (p) => {
    let units = 0;
    for (let i = 0; i < n; i++) units += table[i * STRIDE + (p.levels[first + i] as number)] as number;
    return { num: BigInt(units), den };
  };
}

function compileLeaf(c: CompiledMethodology, code: string, slot: number): ExactEvaluator {
  const indicator = c.indicators.get(code);
  if (!indicator) return () => ZERO;
  const rule = indicator.def.rule;
  switch (rule.type) {
    case 'level':
    case 'bands': {
      const values = indicator.levelValues.map((v) => (Number.isNaN(v) ? ZERO : decimal(v)));
      return (p) => values[p.levels[slot] as number] ?? ZERO;
    }
    case 'goalpost': {
      const worst = decimal(rule.worst);
      const range = sub(decimal(rule.best), worst);
      const scale = decimal(rule.scale);
      return (p) => {
        const v = p.values[slot] as number;
        if (Number.isNaN(v)) return ZERO;
        return clamp(mul(div(sub(decimal(v), worst), range), scale), ZERO, scale);
      };
    }
    case 'min-max':
    case 'z-score': {
      const scale = decimal(rule.scale);
      const lower = rule.direction === 'lower-is-better';
      return (p, stats) => {
        const v = p.values[slot] as number;
        if (Number.isNaN(v)) return ZERO;
        const s = stats?.get(code);
        if (!s) return null;
        if (rule.type === 'min-max') {
          if (s.max === s.min) return scale;
          const range = sub(decimal(s.max), decimal(s.min));
          const x = decimal(v);
          const position = lower ? div(sub(decimal(s.max), x), range) : div(sub(x, decimal(s.min)), range);
          return clamp(mul(position, scale), ZERO, scale);
        }
        const center = decimal(rule.center);
        if (s.sd === 0) return clamp(center, ZERO, scale);
        const z = ((lower ? -1 : 1) * (v - s.mean)) / s.sd;
        return clamp(decimal(rule.center + rule.spread * z), ZERO, scale);
      };
    }
    case 'survey': {
      const { min, max } = indicator.surveyScale;
      const minimum = indicator.surveyMinRespondents;
      const items = BigInt(rule.items.length);
      const scale = decimal(rule.scale);
      return (p) => {
        const valid = p.surveyValid[slot] as number;
        // Below the minimum the dimension is worth 0, never dropped (its weight is not handed to the
        // other dimensions): the region is scored but not ranked (survey-minimum.ts).
        if (valid < minimum) return ZERO;
        const mean =
          valid === 0 ? ZERO : rational(BigInt(p.surveyTotal[slot] as number), BigInt(valid) * items);
        return mul(div(sub(mean, decimal(min)), decimal(max - min)), scale);
      };
    }
  }
}

/** The exact raw maximum: the aggregation of the children's maxima (every rule is monotone). */
function exactMaximum(c: CompiledMethodology, node: HierarchyNode): Rational {
  if (node.kind === 'indicator') {
    const rule = c.indicators.get(node.indicator)?.def.rule;
    if (!rule) return ZERO;
    if (rule.type === 'level' || rule.type === 'bands')
      return rule.levels.reduce<Rational>((best, l) => {
        const v = decimal(l.value ?? l.level);
        return v.num * best.den > best.num * v.den ? v : best;
      }, ZERO);
    return decimal(rule.scale);
  }
  if (node.kind === 'repeated-group') {
    const count = node.countScore
      ? mul(decimal(node.countScore.perItem), rational(BigInt(node.countScore.cap)))
      : ZERO;
    return add(exactMaximum(c, node.item), count);
  }
  if (node.aggregation === 'geometric-mean') return decimal(c.maxOf(node));
  let sum: Rational = ZERO;
  let weights: Rational = ZERO;
  for (const child of node.children) {
    const w = decimal(child.weight);
    sum = add(sum, mul(w, exactMaximum(c, child)));
    weights = add(weights, w);
  }
  return node.aggregation === 'weighted-sum' || weights.num === 0n ? sum : div(sum, weights);
}

/** What the packed submission contributes to the run's relative statistics (as `relativeInputs`). */
export function packedRelativeInputs(m: LoadedMethodology, p: PackedSubmission): RelativeInputs {
  const c = compile(m);
  const { slots } = packedLayout(m);
  const values: Record<string, number> = {};
  for (const code of c.relativeCodes) {
    const slot = slots.indexOf(code);
    const v = slot < 0 ? Number.NaN : (p.values[slot] as number);
    if (!Number.isNaN(v)) values[code] = v;
  }
  return { region: p.region, assessable: p.assessable, values };
}

/** The packed form's counterpart of `surveyDimensionsBelowMinimum`: a survey slot below its minimum. */
export function packedSurveyBelowMinimum(m: LoadedMethodology, packed: PackedSubmission): boolean {
  const c = compile(m);
  const { slots } = packedLayout(m);
  return slots.some((code, i) => {
    const indicator = c.indicators.get(code);
    return (
      indicator?.def.rule.type === 'survey' &&
      (packed.surveyValid[i] as number) < indicator.surveyMinRespondents
    );
  });
}
