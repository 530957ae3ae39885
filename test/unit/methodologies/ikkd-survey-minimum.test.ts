import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rank, score, scoreFast, scoreRun } from '#domain/engine/index';
import { nationalRanking, scoredResult, unrankedReason } from '#domain/national';
import type { Respondent } from '#domain/submission';
import { validateSurveySubmission } from '#intake/validate/index';
import { exampleWith, methodology, type RawSubmission } from './helpers';

/*
 * Issue 12 §1 "IKKD survey minimum can be gamed". Banyuwangi's example has V1 = 77.265 (provisional,
 * scored alone). With 30 respondents answering 1 to everything each survey dimension is
 * (1 − 1) / (5 − 1) × 100 = 0, so IKKD = 0.6 × 77.265 + 0.4 × 0 = 46.359 → 46.36. With 29 respondents
 * the dimensions used to drop out and V1 took all the weight: 77.265 → 77.27, ranked.
 */
const m = methodology('ikkd-2020');
const BANYUWANGI = 'ikkd-2020-kabupaten-banyuwangi.json';
const ITEMS = (m.survey?.items ?? []).map((i) => i.code);

const respondent = (i: number, answer: (item: string) => number | null): Respondent => ({
  id: `R${i + 1}`,
  role: 'dprd',
  answers: Object.fromEntries(ITEMS.map((item) => [item, answer(item)])),
});

const banyuwangiWith = (respondents: Respondent[]) =>
  exampleWith(BANYUWANGI, (raw: RawSubmission) => {
    raw.survey = { respondents };
  });

const poor = (n: number) => Array.from({ length: n }, (_, i) => respondent(i, () => 1));

describe('IKKD survey below the minimum: scored, never raised, not ranked', () => {
  it('30 poor respondents score 46.36 and rank; 29 still score 46.36 but are not ranked', () => {
    const thirty = score(m, banyuwangiWith(poor(30)));
    const twentyNine = score(m, banyuwangiWith(poor(29)));
    expect(thirty.index).toBeCloseTo(46.359, 9);
    expect(thirty.display).toBe('46.36');
    expect(thirty.surveyBelowMinimum).toBe(false);
    expect(twentyNine.index).toBeCloseTo(46.359, 9);
    expect(twentyNine.display).toBe('46.36');
    expect(twentyNine).toMatchObject({ eligible: true, assessable: true, surveyBelowMinimum: true });
    expect(scoreFast(m, banyuwangiWith(poor(29))).index).toBe(twentyNine.index);

    const kabupaten = (results: Parameters<typeof rank>[0]) =>
      rank(results, m.clusters).find((c) => c.cluster === 'kabupaten')?.entries;
    expect(kabupaten([thirty])).toMatchObject([{ region: '35.10', rank: 1 }]);
    expect(kabupaten([twentyNine])).toMatchObject([
      { region: '35.10', rank: null, unranked: 'survey-below-minimum', display: '46.36' },
    ]);
  });

  it('the national result says why, in Bahasa Indonesia and English', () => {
    const { results } = scoreRun(m, [banyuwangiWith(poor(29))], { trace: true });
    const card = results[0];
    if (!card) throw new Error('one card expected');
    const result = scoredResult(card, 'sub-1');
    expect(unrankedReason(result)).toBe('survey-below-minimum');
    expect(result.reasons.map((r) => r.id).join(' ')).toMatch(/di bawah jumlah minimum/);
    expect(result.reasons.map((r) => r.en).join(' ')).toMatch(/not ranked/);
    expect(nationalRanking(m, [result]).ranks.get('35.10')).toEqual({});
  });

  it('an ineligible head is reported as ineligible first', () => {
    const card = score(
      m,
      exampleWith(BANYUWANGI, (raw) => {
        raw.survey = { respondents: poor(3) };
        raw.profile.statusKepalaDaerah = 'pj';
      }),
    );
    expect(rank([card], m.clusters).find((c) => c.cluster === 'kabupaten')?.entries[0]?.unranked).toBe(
      'ineligible',
    );
  });

  it('validate reports too few respondents, and an error when asked for rankability', () => {
    const submission = banyuwangiWith(poor(29));
    const asUpload = validateSurveySubmission(submission, { methodology: m, region: '35.10' });
    expect(asUpload.map((p) => [p.code, p.severity])).toEqual([['SURVEY_TOO_FEW', 'warning']]);
    const strict = validateSurveySubmission(submission, {
      methodology: m,
      region: '35.10',
      options: { surveyBelowMinimum: 'error' },
    });
    expect(strict[0]).toMatchObject({ code: 'SURVEY_TOO_FEW', severity: 'error' });
    expect(strict[0]?.message_id).toMatch(/tidak diperingkat \(survey-below-minimum\)/);
    expect(strict[0]?.message_en).toMatch(/not ranked \(survey-below-minimum\)/);
  });

  it('property: below the minimum the index never exceeds the index with any fuller survey', () => {
    // Any answers on the 1..5 scale (or blanks) for up to 45 respondents; then keep any subset.
    const answer = fc.option(fc.integer({ min: 1, max: 5 }), { nil: null, freq: 8 });
    const survey = fc.array(fc.array(answer, { minLength: ITEMS.length, maxLength: ITEMS.length }), {
      minLength: 0,
      maxLength: 45,
    });
    fc.assert(
      fc.property(survey, fc.array(fc.boolean(), { minLength: 45, maxLength: 45 }), (rows, keep) => {
        const full = rows.map((row, i) => respondent(i, (item) => row[ITEMS.indexOf(item)] ?? null));
        const kept = full.filter((_, i) => keep[i]);
        const before = scoreFast(m, banyuwangiWith(full));
        const after = scoreFast(m, banyuwangiWith(kept));
        // Fewer answers below the minimum never help: the score cannot rise, and the region loses its rank.
        if (after.surveyBelowMinimum) expect(after.index).toBeLessThanOrEqual(before.index + 1e-9);
        // Removing respondents never turns an unranked region into a ranked one.
        if (before.surveyBelowMinimum) expect(after.surveyBelowMinimum).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('property: removing respondents from a survey below the minimum never raises the index', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 29 }),
        fc.nat({ max: 29 }),
        (answers, drop) => {
          const full = answers.map((a, i) => respondent(i, () => a));
          const kept = full.slice(0, Math.max(0, full.length - drop));
          expect(scoreFast(m, banyuwangiWith(kept)).index).toBeLessThanOrEqual(
            scoreFast(m, banyuwangiWith(full)).index,
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});
