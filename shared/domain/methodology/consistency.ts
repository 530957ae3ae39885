import { type Problem, problem } from '../problems';
import { nodeMaximum } from './maximum';
import type { AggregateNode, HierarchyNode, Methodology, NumericBand, ScoringRule } from './schema';

const RELATIVE_RULES = new Set<ScoringRule['type']>(['min-max', 'z-score']);

/**
 * What a schema cannot say: references resolve, every indicator is scored exactly once, bands are
 * contiguous, and the declared maximum matches the hierarchy. Every finding names its path.
 */
export function checkConsistency(m: Omit<Methodology, '$schema'>, file: string): Problem[] {
  const problems: Problem[] = [];
  const err = (path: string, id: string, en: string, indicator?: string) =>
    problems.push(problem('METHODOLOGY_INCONSISTENT', 'error', { file, path, indicator }, id, en));

  const indicators = new Map<string, ScoringRule>();
  m.indicators.forEach((indicator, i) => {
    if (indicators.has(indicator.code))
      err(
        `indicators[${i}].code`,
        `Kode indikator ${indicator.code} ganda.`,
        `Duplicate indicator code ${indicator.code}.`,
        indicator.code,
      );
    indicators.set(indicator.code, indicator.rule);
    problems.push(...checkRule(indicator.rule, `indicators[${i}].rule`, indicator.code, m, file));
  });

  m.survey?.quotas?.forEach((quota, i) => {
    if (!(m.survey?.roles ?? []).includes(quota.role))
      err(
        `survey.quotas[${i}].role`,
        `Kuota untuk peran "${quota.role}" yang tidak ada di "survey.roles".`,
        `Quota for role "${quota.role}", which is not in "survey.roles".`,
      );
    if (quota.max !== undefined && quota.max < quota.min)
      err(
        `survey.quotas[${i}].max`,
        `Kuota "${quota.role}": max ${quota.max} lebih kecil dari min ${quota.min}.`,
        `Quota "${quota.role}": max ${quota.max} is below min ${quota.min}.`,
      );
  });

  const groups = new Set(m.groups.map((g) => g.id));
  const usedIndicators = new Map<string, string>();
  const usedGroups = new Set<string>();

  const visit = (node: HierarchyNode, path: string, inGroup: boolean): void => {
    if (node.kind === 'indicator') {
      const rule = indicators.get(node.indicator);
      if (!rule) {
        err(
          path,
          `Indikator ${node.indicator} dirujuk tetapi tidak didefinisikan di "indicators".`,
          `Indicator ${node.indicator} is referenced but not defined in "indicators".`,
          node.indicator,
        );
        return;
      }
      const earlier = usedIndicators.get(node.indicator);
      if (earlier)
        err(
          path,
          `Indikator ${node.indicator} dinilai dua kali (juga di ${earlier}).`,
          `Indicator ${node.indicator} is scored twice (also at ${earlier}).`,
          node.indicator,
        );
      usedIndicators.set(node.indicator, path);
      if (inGroup && (RELATIVE_RULES.has(rule.type) || rule.type === 'survey'))
        err(
          path,
          `Indikator ${node.indicator} memakai aturan ${rule.type} yang tidak dapat dipakai di dalam kelompok berulang.`,
          `Indicator ${node.indicator} uses rule ${rule.type}, which cannot be used inside a repeated group.`,
          node.indicator,
        );
      return;
    }
    if (node.kind === 'repeated-group') {
      if (inGroup) err(path, 'Kelompok berulang tidak boleh bersarang.', 'Repeated groups cannot be nested.');
      if (!groups.has(node.group))
        err(
          `${path}.group`,
          `Kelompok "${node.group}" tidak didefinisikan di "groups".`,
          `Group "${node.group}" is not defined in "groups".`,
        );
      if (usedGroups.has(node.group))
        err(
          `${path}.group`,
          `Kelompok "${node.group}" dinilai dua kali.`,
          `Group "${node.group}" is scored twice.`,
        );
      usedGroups.add(node.group);
      const condition = node.countScore?.condition;
      const group = m.groups.find((g) => g.id === node.group);
      if (condition && group && !group.fields.some((f) => f.key === condition.field))
        err(
          `${path}.countScore.condition.field`,
          `Kolom "${condition.field}" tidak ada di kelompok "${node.group}".`,
          `Field "${condition.field}" is not a field of group "${node.group}".`,
        );
      visit(node.item, `${path}.item`, true);
      return;
    }
    checkWeights(node, path);
    node.children.forEach((child, i) => {
      visit(child, `${path}.children[${i}]`, inGroup);
    });
  };

  const checkWeights = (node: AggregateNode, path: string) => {
    if (node.aggregation === 'weighted-sum') return;
    const total = node.children.reduce((sum, c) => sum + c.weight, 0);
    if (total <= 0)
      err(
        `${path}.children`,
        `Jumlah bobot anak simpul "${node.id}" harus lebih dari 0 untuk ${node.aggregation}.`,
        `The children's weights of node "${node.id}" must add up to more than 0 for ${node.aggregation}.`,
      );
  };

  visit(m.root, 'root', false);

  for (const code of indicators.keys()) {
    if (!usedIndicators.has(code))
      err(
        'root',
        `Indikator ${code} didefinisikan tetapi tidak pernah dinilai dalam hierarki.`,
        `Indicator ${code} is defined but never scored in the hierarchy.`,
        code,
      );
  }
  for (const group of groups) {
    if (!usedGroups.has(group))
      err('groups', `Kelompok "${group}" tidak pernah dinilai.`, `Group "${group}" is never scored.`);
  }

  problems.push(...checkPredikat(m, file));

  if (m.output.expectedRawMax !== undefined && problems.length === 0) {
    const computed = nodeMaximum(m.root, m);
    if (Math.abs(computed - m.output.expectedRawMax) > 1e-9)
      err(
        'output.expectedRawMax',
        `Nilai maksimum yang dinyatakan ${m.output.expectedRawMax} tidak sama dengan hasil hierarki ${computed}.`,
        `The declared maximum ${m.output.expectedRawMax} does not match the hierarchy's maximum ${computed}.`,
      );
  }

  const clusterIds = new Set<string>();
  m.clusters.forEach((c, i) => {
    if (clusterIds.has(c.id))
      err(`clusters[${i}].id`, `Klaster "${c.id}" ganda.`, `Duplicate cluster "${c.id}".`);
    clusterIds.add(c.id);
  });
  m.eligibility.forEach((rule, i) => {
    if (rule.type === 'in' && rule.choices && rule.values.some((v) => !rule.choices?.includes(v)))
      err(
        `eligibility[${i}].choices`,
        'Setiap nilai yang diterima harus termasuk dalam "choices".',
        'Every accepted value must be one of "choices".',
      );
    if (rule.type === 'at-least' && !rule.order.includes(rule.min))
      err(
        `eligibility[${i}].min`,
        `Nilai minimum "${rule.min}" tidak ada dalam urutan.`,
        `Minimum "${rule.min}" is not in the order.`,
      );
  });
  return problems;
}

function checkRule(
  rule: ScoringRule,
  path: string,
  indicator: string,
  m: Omit<Methodology, '$schema'>,
  file: string,
): Problem[] {
  const problems: Problem[] = [];
  const err = (p: string, id: string, en: string) =>
    problems.push(problem('METHODOLOGY_INCONSISTENT', 'error', { file, path: p, indicator }, id, en));
  if (rule.type === 'level' || rule.type === 'bands') {
    const seen = new Set<number>();
    rule.levels.forEach((l, i) => {
      if (seen.has(l.level))
        err(`${path}.levels[${i}]`, `Level ${l.level} ganda.`, `Duplicate level ${l.level}.`);
      seen.add(l.level);
    });
  }
  if (rule.type === 'bands') {
    const levels = new Set(rule.levels.map((l) => l.level));
    rule.bands.forEach((b, i) => {
      // Level 0 needs no definition: it is "below the first level" and earns nothing.
      if (b.level !== 0 && !levels.has(b.level))
        err(
          `${path}.bands[${i}].level`,
          `Rentang menunjuk level ${b.level} yang tidak didefinisikan.`,
          `A band points to level ${b.level}, which is not defined.`,
        );
    });
    const gap = bandsGap(rule.bands);
    if (gap)
      err(
        `${path}.bands`,
        `Rentang nilai tidak bersambung: ${gap}. Setiap batas harus jatuh tepat di satu sisi.`,
        `Bands are not contiguous: ${gap}. Every boundary must fall on exactly one side.`,
      );
  }
  if (rule.type === 'goalpost') {
    const higher = rule.direction === 'higher-is-better';
    if (higher ? rule.best <= rule.worst : rule.best >= rule.worst)
      err(
        path,
        `Arah ${rule.direction} menuntut nilai "best" ${higher ? 'lebih besar' : 'lebih kecil'} dari "worst" (kini worst ${rule.worst}, best ${rule.best}).`,
        `Direction ${rule.direction} needs "best" ${higher ? 'above' : 'below'} "worst" (now worst ${rule.worst}, best ${rule.best}).`,
      );
  }
  if (rule.type === 'survey') {
    const items = new Set(m.survey?.items.map((i) => i.code) ?? []);
    if (!m.survey)
      err(path, 'Aturan survei memerlukan bagian "survey".', 'A survey rule needs the "survey" section.');
    for (const item of rule.items)
      if (m.survey && !items.has(item))
        err(
          `${path}.items`,
          `Butir survei ${item} tidak didefinisikan.`,
          `Survey item ${item} is not defined.`,
        );
  }
  return problems;
}

/** Bands sorted by lower bound must tile the real line: -inf .. b1 | b1 .. b2 | ... | bn .. +inf. */
export function bandsGap(bands: readonly NumericBand[]): string | undefined {
  const sorted = [...bands].sort(
    (a, b) => (a.min ?? Number.NEGATIVE_INFINITY) - (b.min ?? Number.NEGATIVE_INFINITY),
  );
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last) return 'no bands';
  if (first.min !== undefined) return `values below ${first.min} have no band`;
  if (last.max !== undefined) return `values above ${last.max} have no band`;
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const next = sorted[i];
    if (!prev || !next) continue;
    if (prev.max === undefined || next.min === undefined) return 'an open-ended band sits in the middle';
    if (prev.max !== next.min) return `gap or overlap between ${prev.max} and ${next.min}`;
    if (prev.maxInclusive === next.minInclusive)
      return `boundary ${prev.max} is ${prev.maxInclusive ? 'in both bands' : 'in neither band'}`;
  }
  return undefined;
}

function checkPredikat(m: Omit<Methodology, '$schema'>, file: string): Problem[] {
  const problems: Problem[] = [];
  const step = 10 ** -m.output.decimals;
  const sorted = [...m.predikat.bands].sort((a, b) => a.min - b.min);
  const err = (id: string, en: string) =>
    problems.push(problem('METHODOLOGY_INCONSISTENT', 'error', { file, path: 'predikat.bands' }, id, en));
  sorted.forEach((band, i) => {
    if (band.min > band.max)
      err(`Predikat "${band.label}": min > max.`, `Predikat "${band.label}": min > max.`);
    if (band.min < 0 || band.max > m.output.scale)
      err(
        `Predikat "${band.label}" di luar 0..${m.output.scale}.`,
        `Predikat "${band.label}" is outside 0..${m.output.scale}.`,
      );
    const next = sorted[i + 1];
    if (next && Math.abs(next.min - (band.max + step)) > step / 10)
      err(
        `Predikat "${band.label}" (s.d. ${band.max}) dan "${next.label}" (mulai ${next.min}) tidak bersambung pada ketelitian ${m.output.decimals} desimal.`,
        `Predikat "${band.label}" (up to ${band.max}) and "${next.label}" (from ${next.min}) are not contiguous at ${m.output.decimals} decimals.`,
      );
  });
  const top = sorted[sorted.length - 1];
  if (top && top.max !== m.output.scale)
    err(
      `Predikat tertinggi harus berakhir di ${m.output.scale}.`,
      `The highest predikat must end at ${m.output.scale}.`,
    );
  return problems;
}
