import { describe, expect, it } from 'vitest';
import { demoUploads } from '#cli/demo/generate';
import { calendarProblems, pendingTransitions } from '#domain/cycle';
import { relativeInputs, runStats, scoreRun, statsFromInputs } from '#domain/engine/index';
import { getMethodology } from '#domain/methodology/registry';
import {
  nationalRanking,
  rankChanges,
  scoredResult,
  summarizeRun,
  unrankedReason,
  unscoredResult,
} from '#domain/national';
import { REGIONS } from '#domain/regions';
import { submissionSchema } from '#domain/submission';

const ikkd = getMethodology('ikkd-2020');
if (!ikkd) throw new Error('ikkd-2020 is not shipped');
const m = ikkd;
const subs = demoUploads({ methodology: 'ikkd-2020', period: 2020, seed: 5 })
  .filter((u) => u.case !== 'invalid' && u.case !== 'missing')
  .slice(0, 120)
  .map((u) => submissionSchema.parse(JSON.parse(u.body)));

describe('relative inputs (the batch step) and run statistics (the aggregate step)', () => {
  it('give exactly the statistics of the one-shot run, in the same order', () => {
    const inputs = subs.map((s) => relativeInputs(m, s));
    expect(statsFromInputs(m, inputs)).toEqual(runStats(m, subs));
    expect([...runStats(m, subs).keys()]).toEqual(['1.1.2', '1.1.3']);
  });

  it('leave out rejected answers and regions with nothing evidence-based', () => {
    const first = subs[0];
    if (!first) throw new Error('no demo submission');
    const rejected = submissionSchema.parse({
      ...JSON.parse(JSON.stringify(first)),
      indicators: { '1.1.2': { value: 99, evidence: 'x.pdf', status: 'rejected' } },
      survey: undefined,
    });
    expect(relativeInputs(m, rejected)).toEqual({ region: first.region, assessable: false, values: {} });
  });
});

describe('national results', () => {
  const { results } = scoreRun(m, subs.slice(0, 40), { trace: true });
  const scored = results.map((card, i) => scoredResult(card, `s-${i}`));
  const [absentCode = '', invalidCode = '', failedCode = ''] = REGIONS.filter(
    (r) => r.jenis === 'kabupaten' && !scored.some((s) => s.region === r.kode),
  ).map((r) => r.kode);
  const all = [
    ...scored,
    unscoredResult(m, absentCode, 'not-submitted'),
    unscoredResult(m, invalidCode, 'invalid', 's-x'),
    unscoredResult(m, failedCode, 'failed', 's-y'),
  ];

  it('an unscored region is 0, "Tidak Dapat Dinilai", unranked with its reason', () => {
    const absent = unscoredResult(m, absentCode, 'not-submitted');
    expect(absent).toMatchObject({
      index: 0,
      display: '0.00',
      predikat: 'Tidak Dapat Dinilai',
      assessable: false,
      outcome: 'not-submitted',
    });
    expect(absent.reasons[0]?.id).toContain('Tidak ada pengajuan');
    expect(unrankedReason(absent)).toBe('not-submitted');
    const ranking = nationalRanking(m, all);
    expect(ranking.ranks.get(absentCode)).toEqual({});
    expect(ranking.clusters.get(absentCode)).toEqual(['kabupaten']);
  });

  it('ineligible scored regions keep their score and predikat but are not ranked', () => {
    const ineligible = scored.find((r) => !r.eligible);
    expect(ineligible).toBeDefined();
    if (!ineligible) throw new Error('the demo data has no ineligible region');
    expect(unrankedReason(ineligible)).toBe('ineligible');
    expect(ineligible?.reasons.length).toBeGreaterThan(0);
    expect(nationalRanking(m, all).ranks.get(ineligible?.region ?? '')).toEqual({});
  });

  it('summarises participation and the predikat distribution per cluster', () => {
    const ranking = nationalRanking(m, all);
    const summary = summarizeRun(m, all, ranking);
    expect(summary.participation).toMatchObject({
      regions: all.length,
      submitted: all.length - 1,
      invalid: 1,
      failed: 1,
      notSubmitted: 1,
    });
    expect(summary.complete).toBe(false);
    const kabupaten = summary.clusters.kabupaten;
    expect(Object.keys(kabupaten?.predikat ?? {})).toEqual([
      'Sangat Rendah',
      'Rendah',
      'Sedang',
      'Tinggi',
      'Sangat Tinggi',
      'Tidak Dapat Dinilai',
    ]);
    const members = Object.values(kabupaten?.predikat ?? {}).reduce((a, b) => a + b, 0);
    expect(members).toBe(kabupaten?.members);
    expect(summary.participation.ranked).toBe(
      [...ranking.ranks.values()].filter((r) => Object.keys(r).length).length,
    );
  });

  it('rank changes are places gained, only where ranked both times', () => {
    expect(rankChanges({ kabupaten: 3, kota: 1 }, { kabupaten: 7 })).toEqual({ kabupaten: 4 });
    expect(rankChanges({ kabupaten: 9 }, { kabupaten: 2 })).toEqual({ kabupaten: -7 });
    expect(rankChanges({ kabupaten: 9 }, undefined)).toEqual({});
  });
});

describe('calendar rules', () => {
  const calendar = {
    opensAt: '2026-03-01T00:00:00+07:00',
    closesAt: '2026-03-31T23:59:00+07:00',
    extensions: [{ until: '2026-04-07T23:59:00+07:00', reason: 'x' }],
    graceMinutes: 30,
    nationalRunAt: '2026-04-10T01:00:00+07:00',
  };

  it('pending transitions carry their due instants (extension and grace included)', () => {
    expect(pendingTransitions('DRAFT', calendar)).toEqual([
      { to: 'OPEN', at: '2026-02-28T17:00:00.000Z' },
      { to: 'CLOSED', at: '2026-04-07T17:30:00.000Z' },
      { to: 'ASSESSING', at: '2026-04-09T18:00:00.000Z' },
    ]);
    expect(pendingTransitions('CLOSED', calendar)).toEqual([
      { to: 'ASSESSING', at: '2026-04-09T18:00:00.000Z' },
    ]);
    expect(pendingTransitions('ASSESSING', calendar)).toEqual([]);
  });

  it('names every inconsistent field', () => {
    expect(calendarProblems(calendar)).toEqual([]);
    const problems = calendarProblems({
      ...calendar,
      closesAt: '2026-02-01T23:59:00+07:00',
      extensions: [
        { until: '2026-02-10T23:59:00+07:00', reason: 'a' },
        { until: '2026-02-05T23:59:00+07:00', reason: 'b' },
      ],
      nationalRunAt: '2026-02-06T00:00:00+07:00',
      publishAt: '2026-02-01T00:00:00+07:00',
    });
    expect(problems.map((p) => p.field)).toEqual([
      'closesAt',
      'extensions[1].until',
      'nationalRunAt',
      'publishAt',
    ]);
    expect(problems[0]?.id).toContain('01-02-2026 23:59 WIB');
    expect(calendarProblems({ ...calendar, opensAt: '2026-03-01T00:00:00' }).map((p) => p.field)).toEqual([
      'opensAt',
    ]);
  });
});
