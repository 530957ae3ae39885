/**
 * "What moves my rank?": the single improvements that raise a region's index (and rank) the most,
 * each scored on the fast engine against the run's other regions. An improvement is one indicator
 * answer one level up (a region-level indicator, or one indicator of one innovation), or one more
 * accepted innovation with every indicator at one level. Pure.
 */
import { regionIndicatorCodes, repeatedGroupNode } from '../methodology/leaves';
import type { LoadedMethodology } from '../methodology/load';
import type { BilingualText, RepeatedGroupNode } from '../methodology/schema';
import type { Answer, GroupItem, Submission } from '../submission';
import { type CompiledIndicator, compile } from './compile';
import { levelOfValue, type RunStats } from './leaf';
import { scoreFast } from './score';

export interface AdviceInput {
  methodology: LoadedMethodology;
  submission: Submission;
  /** The run's statistics of relative indicators (held fixed: one level more moves none of them). */
  stats: RunStats;
  /** Per cluster the region is ranked in: the index of every other ranked region of the cluster. */
  others: Readonly<Record<string, readonly number[]>>;
}

export interface AdviceRank {
  cluster: string;
  /** Rank with the improvement (standard competition rank against the run's other regions). */
  rank: number;
  /** Rank without it, counted the same way. */
  from: number;
}

export interface Improvement {
  kind: 'indicator' | 'item-indicator' | 'new-item';
  /** The indicator raised (not for a new item). */
  indicator: string | null;
  indicatorName: BilingualText | null;
  /** The group item (innovation) concerned; null for region-level indicators and new items. */
  item: string | null;
  group: string | null;
  fromLevel: number | null;
  toLevel: number;
  description: BilingualText;
  index: number;
  display: string;
  predikat: string;
  predikatEn: string;
  /** Index points gained. */
  gain: number;
  ranks: AdviceRank[];
}

export interface Advice {
  baseline: { index: number; display: string; predikat: string; predikatEn: string; ranks: AdviceRank[] };
  improvements: Improvement[];
}

const rankAmong = (others: readonly number[], index: number): number => {
  let above = 0;
  for (const v of others) if (v > index) above++;
  return above + 1;
};

/** Gains smaller than this are float noise, not improvements. */
const EPSILON = 1e-9;

export function adviseImprovements(input: AdviceInput, limit = 5): Advice {
  const { methodology: m, submission, stats, others } = input;
  const c = compile(m);
  const base = scoreFast(m, submission, { stats });
  const clusters = Object.keys(others);
  const ranksOf = (index: number): AdviceRank[] =>
    clusters.map((cluster) => ({
      cluster,
      rank: rankAmong(others[cluster] ?? [], index),
      from: rankAmong(others[cluster] ?? [], base.index),
    }));

  type Candidate = Omit<Improvement, 'index' | 'display' | 'predikat' | 'predikatEn' | 'gain' | 'ranks'> & {
    submission: Submission;
  };
  const candidates: Candidate[] = [];

  // Region-level indicators, one level up.
  for (const code of regionIndicatorCodes(m)) {
    const indicator = c.indicators.get(code);
    const answer = submission.indicators[code];
    const step = nextLevel(indicator, answer);
    if (!indicator || !step) continue;
    candidates.push({
      kind: 'indicator',
      indicator: code,
      indicatorName: indicator.def.name,
      item: null,
      group: null,
      fromLevel: step.from,
      toLevel: step.to,
      description: {
        id: `Naikkan indikator ${code} (${indicator.def.name.id}) dari level ${step.from} ke level ${step.to}, dengan dokumen buktinya.`,
        en: `Raise indicator ${code} (${indicator.def.name.en}) from level ${step.from} to level ${step.to}, with its evidence.`,
      },
      submission: {
        ...submission,
        indicators: { ...submission.indicators, [code]: raised(answer, step.to) },
      },
    });
  }

  for (const group of m.groups) {
    const node = repeatedGroupNode(m, group.id);
    if (!node) continue;
    const items = submission.groups[group.id] ?? [];
    const columns = node.item.children.flatMap((child) =>
      child.kind === 'indicator' ? [c.indicators.get(child.indicator)] : [],
    );
    // One indicator of one item, one level up: the same gain for every item at the same level.
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (item.status === 'rejected') return;
      for (const indicator of columns) {
        if (!indicator) continue;
        const answer = item.indicators[indicator.code];
        const step = nextLevel(indicator, answer);
        const key = `${indicator.code}:${step?.from}`;
        if (!step || seen.has(key)) continue;
        seen.add(key);
        const label = item.name ?? item.id;
        const changed: GroupItem = {
          ...item,
          indicators: { ...item.indicators, [indicator.code]: raised(answer, step.to) },
        };
        candidates.push({
          kind: 'item-indicator',
          indicator: indicator.code,
          indicatorName: indicator.def.name,
          item: item.id,
          group: group.id,
          fromLevel: step.from,
          toLevel: step.to,
          description: {
            id: `Naikkan indikator ${indicator.code} (${indicator.def.name.id}) pada ${group.itemLabel.id.toLowerCase()} "${label}" dari level ${step.from} ke level ${step.to}.`,
            en: `Raise indicator ${indicator.code} (${indicator.def.name.en}) of ${group.itemLabel.en.toLowerCase()} "${label}" from level ${step.from} to level ${step.to}.`,
          },
          submission: {
            ...submission,
            groups: { ...submission.groups, [group.id]: items.map((it, k) => (k === i ? changed : it)) },
          },
        });
      }
    });
    // One more accepted item with every indicator at one level.
    const levels = new Set<number>();
    for (const indicator of columns)
      indicator?.levelValues.forEach((v, level) => {
        if (level > 0 && !Number.isNaN(v)) levels.add(level);
      });
    const fields = newItemFields(node, items);
    for (const level of [...levels].sort((a, b) => a - b)) {
      const fresh: GroupItem = {
        id: 'saran-baru',
        status: 'accepted',
        fields,
        indicators: Object.fromEntries(
          columns.flatMap((indicator) =>
            indicator && !Number.isNaN(indicator.levelValues[level] ?? Number.NaN)
              ? [[indicator.code, { level, status: 'accepted', evidence: 'saran-baru.pdf' } as Answer]]
              : [],
          ),
        ),
      };
      const where = typeof fields.urusan === 'string' ? ` (urusan ${fields.urusan})` : '';
      candidates.push({
        kind: 'new-item',
        indicator: null,
        indicatorName: null,
        item: null,
        group: group.id,
        fromLevel: null,
        toLevel: level,
        description: {
          id: `Tambah satu ${group.itemLabel.id.toLowerCase()} yang diterima dengan semua indikator pada level ${level}${where}.`,
          en: `Add one accepted ${group.itemLabel.en.toLowerCase()} with every indicator at level ${level}${where}.`,
        },
        submission: { ...submission, groups: { ...submission.groups, [group.id]: [...items, fresh] } },
      });
    }
  }

  const scored: Improvement[] = [];
  for (const { submission: changed, ...candidate } of candidates) {
    const r = scoreFast(m, changed, { stats });
    const gain = r.index - base.index;
    if (!(gain > EPSILON)) continue;
    scored.push({
      ...candidate,
      index: r.index,
      display: r.display,
      predikat: r.predikat,
      predikatEn: r.predikatEn,
      gain,
      ranks: ranksOf(r.index),
    });
  }
  const placesGained = (i: Improvement) => i.ranks.reduce((s, r) => s + (r.from - r.rank), 0);
  // Largest gain first, then most places gained; equal ones keep the order above (stable sort).
  scored.sort((a, b) => b.gain - a.gain || placesGained(b) - placesGained(a));
  return {
    baseline: {
      index: base.index,
      display: base.display,
      predikat: base.predikat,
      predikatEn: base.predikatEn,
      ranks: ranksOf(base.index),
    },
    improvements: scored.slice(0, limit),
  };
}

/** The answer's current level and the next defined one (level and band rules only). */
function nextLevel(
  indicator: CompiledIndicator | undefined,
  answer: Answer | undefined,
): { from: number; to: number } | undefined {
  if (!indicator) return undefined;
  const type = indicator.def.rule.type;
  if (type !== 'level' && type !== 'bands') return undefined;
  if (answer?.status === 'rejected') return undefined;
  let from = answer?.level ?? 0;
  if (answer?.level === undefined && answer?.value !== undefined && type === 'bands')
    from = levelOfValue(indicator, answer.value);
  const current = indicator.levelValues[from] ?? 0;
  for (let level = from + 1; level < indicator.levelValues.length; level++) {
    const v = indicator.levelValues[level];
    if (v !== undefined && !Number.isNaN(v) && v > (Number.isNaN(current) ? 0 : current))
      return { from, to: level };
  }
  return undefined;
}

const raised = (answer: Answer | undefined, level: number): Answer => ({
  level,
  status: 'accepted',
  evidence: answer?.evidence ?? 'saran.pdf',
});

/**
 * A new item's fields: those of the first accepted item, with a basic-service affair the group
 * does not cover yet when the count score asks for coverage.
 */
function newItemFields(node: RepeatedGroupNode, items: readonly GroupItem[]): GroupItem['fields'] {
  const first = items.find((it) => it.status !== 'rejected') ?? items[0];
  const fields: GroupItem['fields'] = { ...(first?.fields ?? {}) };
  const condition = node.countScore?.condition;
  if (condition) {
    const covered = new Set(
      items.filter((it) => it.status !== 'rejected').map((it) => String(it.fields[condition.field] ?? '')),
    );
    fields[condition.field] = condition.values.find((v) => !covered.has(v)) ?? condition.values[0] ?? '';
  }
  return fields;
}
