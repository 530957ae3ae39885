import { describe, expect, it } from 'vitest';
import { submissionSchema } from '#domain/submission';
import { type IntakeOptions, intakeFile, validateSubmission } from '#intake/index';
import { miniIid, miniIidRevised, miniIkkd } from '../../fixtures/intake/methodologies';

const valid = {
  methodology: 'mini-iid',
  region: '18.01',
  period: 2023,
  profile: { kapasitasFiskal: 'tinggi' },
  indicators: { '1': { level: 3, evidence: 'visi.pdf' }, '4': { value: 5.1 }, '8': 2 },
  groups: {
    inovasi: [
      {
        id: 'INV-1',
        urusan: 'kesehatan',
        tahun: 2022,
        indicators: { '16': { level: 1, evidence: 'perda.pdf' } },
      },
    ],
  },
};
type Doc = Record<string, unknown>;
const EVIDENCE = ['visi.pdf', 'perda.pdf'];

const json = (doc: unknown) => new TextEncoder().encode(JSON.stringify(doc));
const run = (doc: unknown, options?: IntakeOptions, evidenceNames: string[] | null = EVIDENCE) =>
  intakeFile({
    bytes: json(doc),
    fileName: 'isian.json',
    contentType: 'application/json',
    methodology: miniIid,
    region: '18.01',
    evidenceNames: evidenceNames ?? undefined,
    options,
  });
const codesOf = async (doc: unknown, options?: IntakeOptions) =>
  (await run(doc, options)).problems.map((p) => p.code);
const withIndicators = (indicators: Doc) => ({
  ...valid,
  indicators: { ...valid.indicators, ...indicators },
});
const withItems = (items: Doc[]) => ({ ...valid, groups: { inovasi: items } });
const item = (extra: Doc = {}) => ({
  id: 'INV-1',
  urusan: 'kesehatan',
  indicators: { '16': { level: 2, evidence: 'perda.pdf' } },
  ...extra,
});

describe('canonical JSON', () => {
  it('accepts a valid submission and returns it normalised', async () => {
    const result = await run(valid);
    expect(result.problems).toEqual([]);
    expect(result.submission).toEqual(submissionSchema.parse(valid));
    expect(result.format).toBe('json');
  });

  it('reports syntax errors with their line, and schema errors with their path', async () => {
    const broken = await intakeFile({
      bytes: new TextEncoder().encode('{\n  "methodology": "mini-iid",\n  "region": "18.01",\n}'),
      fileName: 'a.json',
      methodology: miniIid,
      region: '18.01',
    });
    expect(broken.problems).toMatchObject([{ code: 'JSON_INVALID', location: { row: 4 } }]);
    const schema = await run({ ...valid, indicators: { '1': { level: 'tiga' } } });
    expect(schema.problems).toMatchObject([{ code: 'SCHEMA_INVALID', location: { path: 'indicators.1' } }]);
    expect(schema.problems[0]?.message_id).toContain('Isian tidak valid');
  });
});

describe('identity', () => {
  it('region, methodology and period must match the upload', async () => {
    expect(await codesOf({ ...valid, region: '18.02' })).toEqual(['REGION_MISMATCH']);
    expect(await codesOf({ ...valid, methodology: 'iid-2023' })).toEqual(['METHODOLOGY_MISMATCH']);
    expect(await codesOf({ ...valid, period: 2022 })).toEqual(['PERIOD_MISMATCH']);
  });

  it('a different methodology hash is an error by default and a warning when configured', async () => {
    const stale = { ...valid, methodologyHash: miniIidRevised.hash };
    expect((await run(stale)).problems).toMatchObject([{ code: 'TEMPLATE_MISMATCH', severity: 'error' }]);
    const lenient = await run(stale, { templateMismatch: 'warning' });
    expect(lenient.problems).toMatchObject([{ code: 'TEMPLATE_MISMATCH', severity: 'warning' }]);
    expect(lenient.submission).toBeDefined();
    expect(await codesOf({ ...valid, methodologyHash: miniIid.hash })).toEqual([]);
  });
});

describe('region-level answers', () => {
  it('reports unknown and misplaced codes', async () => {
    expect(await codesOf(withIndicators({ x9: 1, '16': 2 }))).toEqual([
      'INDICATOR_WRONG_PLACE',
      'UNKNOWN_INDICATOR',
    ]);
  });

  it('reports every missing mandatory indicator', async () => {
    const result = await run({ ...valid, indicators: {} });
    expect(result.problems.map((p) => [p.code, p.location.indicator])).toEqual([
      ['MISSING_MANDATORY', '1'],
      ['MISSING_MANDATORY', '4'],
      ['MISSING_MANDATORY', '8'],
    ]);
    expect(result.problems[0]?.message_id).toContain('Visi dan Misi');
  });

  it('levels outside the rule, and the wrong kind of answer', async () => {
    const result = await run(
      withIndicators({ '8': 5, '2a': { level: 0, evidence: 'visi.pdf' }, '4': { level: 4 } }),
    );
    // Integer-like keys come first in a JS object, as JSON.parse builds it.
    expect(result.problems.map((p) => [p.code, p.location.indicator])).toEqual([
      ['LEVEL_OUT_OF_RANGE', '4'],
      ['LEVEL_OUT_OF_RANGE', '8'],
      ['LEVEL_OUT_OF_RANGE', '2a'],
    ]);
    expect(result.problems[1]?.message_en).toContain("level 5 is outside indicator 8's choices (1, 2, 3)");
    expect(await codesOf(withIndicators({ '8': { value: 2.5 } }))).toEqual(['ANSWER_KIND']);
  });

  it('evidence required, and evidence never uploaded (warning by default, error when configured)', async () => {
    expect(await codesOf(withIndicators({ '1': 3 }))).toEqual(['EVIDENCE_MISSING']);
    const missing = await run(withIndicators({ '2a': { level: 1, evidence: 'apbd-2023.pdf' } }));
    expect(missing.problems).toMatchObject([
      { code: 'EVIDENCE_NOT_UPLOADED', severity: 'warning', location: { path: 'indicators.2a.evidence' } },
    ]);
    const strict = await run(withIndicators({ '2a': { level: 1, evidence: 'apbd-2023.pdf' } }), {
      evidenceNotUploaded: 'error',
    });
    expect(strict.problems[0]?.severity).toBe('error');
    const unchecked = await run(
      withIndicators({ '2a': { level: 1, evidence: 'apbd.pdf' } }),
      undefined,
      null,
    );
    expect(unchecked.problems).toEqual([]);
  });

  it('matches evidence names the way uploads store them (sanitised, case-insensitive)', async () => {
    const result = await intakeFile({
      bytes: json(withIndicators({ '1': { level: 3, evidence: 'C:\\Dokumen\\Visi Misi.PDF' } })),
      fileName: 'isian.json',
      methodology: miniIid,
      region: '18.01',
      evidenceNames: ['Visi_Misi.pdf', 'perda.pdf'],
    });
    expect(result.problems).toEqual([]);
  });
});

describe('repeated groups', () => {
  it('duplicate ids, required fields, age of an innovation, unknown fields', async () => {
    const result = await run(
      withItems([
        item({ tahun: 2017 }),
        item({ id: 'inv-1 ', urusan: undefined }),
        item({ id: 'INV-3', tahun: 2025, warna: 'biru' }),
        item({ id: 'INV-4', tahun: 'dua ribu' }),
      ]),
    );
    expect(result.problems.map((p) => [p.code, p.severity, p.location.path])).toEqual([
      ['ITEM_TOO_OLD', 'error', 'groups.inovasi[0].tahun'],
      ['DUPLICATE_ITEM', 'error', 'groups.inovasi[1].id'],
      ['FIELD_REQUIRED', 'error', 'groups.inovasi[1].urusan'],
      ['YEAR_IN_FUTURE', 'warning', 'groups.inovasi[2].tahun'],
      ['FIELD_UNKNOWN', 'warning', 'groups.inovasi[2].warna'],
      ['FIELD_INVALID', 'error', 'groups.inovasi[3].tahun'],
    ]);
    expect(result.problems[0]?.message_id).toContain('2018');
  });

  it('per-item mandatory indicators, level range and evidence', async () => {
    const result = await run(
      withItems([
        item({ indicators: {} }),
        item({ id: 'B', indicators: { '16': { level: 4, evidence: 'perda.pdf' }, '18': { value: 3 } } }),
        item({ id: 'C', indicators: { '16': 2, '4': 1 } }),
      ]),
    );
    expect(result.problems.map((p) => [p.code, p.location.path])).toEqual([
      ['MISSING_MANDATORY', 'groups.inovasi[0].indicators.16'],
      ['LEVEL_OUT_OF_RANGE', 'groups.inovasi[1].indicators.16'],
      ['ANSWER_KIND', 'groups.inovasi[1].indicators.18'],
      ['INDICATOR_WRONG_PLACE', 'groups.inovasi[2].indicators.4'],
      ['EVIDENCE_MISSING', 'groups.inovasi[2].indicators.16.evidence'],
    ]);
    expect(result.problems[0]?.message_en).toContain('for innovation "INV-1"');
  });

  it('too many items, no items, unknown group', async () => {
    const many = Array.from({ length: 51 }, (_, i) => item({ id: `I-${i}` }));
    expect(await codesOf(withItems(many))).toEqual(['TOO_MANY_ITEMS']);
    expect(await codesOf({ ...valid, groups: {} })).toEqual(['NO_ITEMS']);
    expect(await codesOf({ ...valid, groups: { ...valid.groups, program: [] } })).toEqual(['UNKNOWN_GROUP']);
  });

  it('an empty submission says so', async () => {
    expect(await codesOf({ methodology: 'mini-iid', region: '18.01', period: 2023 })).toContain(
      'EMPTY_SUBMISSION',
    );
  });
});

describe('profile and eligibility (IKKD)', () => {
  const ikkd = (profile: Record<string, string>) =>
    validateSubmission(
      submissionSchema.parse({
        methodology: 'mini-ikkd',
        region: '18.01',
        period: 2024,
        profile,
        indicators: { E1: { value: 5.2 } },
      }),
      { methodology: miniIkkd, region: '18.01' },
    ).map((p) => [p.code, p.severity]);

  it('accepts eligible facts', () => {
    expect(ikkd({ statusKepalaDaerah: 'definitif', sakip: 'A' })).toEqual([]);
  });

  it('missing eligibility facts are errors; unknown grades are errors; ineligible values are warnings', () => {
    expect(ikkd({})).toEqual([
      ['PROFILE_MISSING', 'error'],
      ['PROFILE_MISSING', 'error'],
    ]);
    expect(ikkd({ statusKepalaDaerah: 'Plt', sakip: 'Z', hobi: 'x' })).toEqual([
      ['PROFILE_VALUE_UNKNOWN', 'error'],
      ['PROFILE_INELIGIBLE', 'warning'],
      ['PROFILE_FIELD_UNKNOWN', 'warning'],
    ]);
    expect(ikkd({ statusKepalaDaerah: 'definitif', sakip: 'C' })).toEqual([
      ['PROFILE_INELIGIBLE', 'warning'],
    ]);
  });

  it('survey indicators cannot be answered directly', () => {
    const problems = validateSubmission(
      submissionSchema.parse({
        methodology: 'mini-ikkd',
        region: '18.01',
        period: 2024,
        profile: { statusKepalaDaerah: 'definitif', sakip: 'B' },
        indicators: { E1: { value: 5.2 }, S1: { value: 80 } },
      }),
      { methodology: miniIkkd, region: '18.01' },
    );
    expect(problems.map((p) => p.code)).toEqual(['INDICATOR_NOT_ANSWERABLE']);
  });
});

describe('messages', () => {
  it('every problem is bilingual and says where', async () => {
    const result = await run({
      ...valid,
      region: '18.02',
      indicators: { '8': 9 },
      groups: { inovasi: [item(), item()] },
    });
    expect(result.problems.length).toBeGreaterThan(4);
    for (const p of result.problems) {
      expect(p.message_id.length).toBeGreaterThan(20);
      expect(p.message_en.length).toBeGreaterThan(20);
      expect(p.message_id).not.toBe(p.message_en);
      expect(p.location.file).toBe('isian.json');
    }
  });
});
