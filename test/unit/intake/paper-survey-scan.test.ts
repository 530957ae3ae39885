import { describe, expect, it } from 'vitest';
import { getMethodology } from '#domain/methodology/registry';
import { type Submission, submissionSchema } from '#domain/submission';
import { validateSubmission } from '#intake/index';

/** Issue 14: a paper survey counts only with the scan of its forms, uploaded as evidence. */
const m = getMethodology('ikkd-2020');
if (!m) throw new Error('ikkd-2020 expected');
const items = m.survey?.items.map((i) => i.code) ?? [];

function withSurvey(survey: Record<string, unknown>): Submission {
  return submissionSchema.parse({
    methodology: m?.id,
    region: '35.10',
    period: m?.period,
    profile: { statusKepalaDaerah: 'definitif', statusHukum: 'none', sakip: 'BB' },
    indicators: { '1.1.9': { level: 3 } },
    survey,
  });
}
const respondents = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `R${i + 1}`,
    role: 'dprd',
    answers: Object.fromEntries(items.map((c) => [c, 4])),
  }));
const scanProblems = (s: Submission, evidenceNames?: string[]) =>
  validateSubmission(s, {
    methodology: m,
    region: '35.10',
    ...(evidenceNames ? { evidenceNames } : {}),
  }).filter((p) => p.code.startsWith('SURVEY_SCAN'));

describe('paper survey scan', () => {
  it('refuses a paper survey without a scan, saying what to upload and where to name it (bilingual)', () => {
    const problems = scanProblems(withSurvey({ respondents: respondents(30) }));
    expect(problems).toHaveLength(1);
    const [p] = problems;
    expect(p).toMatchObject({
      code: 'SURVEY_SCAN_MISSING',
      severity: 'error',
      location: { path: 'survey.scan' },
    });
    expect(p?.message_id).toMatch(
      /survei kertas \(30 responden\).*pindaian.*unggah sebagai berkas bukti.*survey\.scan/,
    );
    expect(p?.message_en).toMatch(/paper survey \(30 respondents\).*scan.*evidence file.*survey\.scan/);
  });

  it('refuses a named scan that was not uploaded; accepts it once uploaded (any case)', () => {
    const s = withSurvey({ respondents: respondents(30), scan: 'survei-pindaian.pdf' });
    const missing = scanProblems(s, ['lain.pdf']);
    expect(missing.map((p) => [p.code, p.severity])).toEqual([['SURVEY_SCAN_NOT_UPLOADED', 'error']]);
    expect(missing[0]?.message_id).toMatch(
      /Unggah dulu berkas bukti dengan nama persis "survei-pindaian\.pdf"/,
    );
    expect(missing[0]?.message_en).toMatch(
      /First upload the evidence file named exactly "survei-pindaian\.pdf"/,
    );
    expect(scanProblems(s, ['Survei-Pindaian.PDF'])).toEqual([]);
    // Without the list of uploads (the CLI, the national run) only the name is required.
    expect(scanProblems(s)).toEqual([]);
  });

  it('asks no scan of channel answers or of an empty survey', () => {
    expect(scanProblems(withSurvey({ respondents: respondents(30), source: 'channel' }), [])).toEqual([]);
    expect(scanProblems(withSurvey({ respondents: [] }), [])).toEqual([]);
  });
});
