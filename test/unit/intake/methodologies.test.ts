import { describe, expect, it } from 'vitest';
import type { LoadedMethodology } from '#domain/methodology/load';
import { getMethodology } from '#domain/methodology/registry';
import type { AnswerInput } from '#domain/submission';
import { submissionSchema } from '#domain/submission';
import { buildSurveyTemplate, buildTemplate, intakeFile, placeIndicators } from '#intake/index';
import { type FillData, type FillItem, fillTemplate, openWorkbook } from '../../fixtures/intake/fill';

const REGION = { kode: '18.01', nama: 'Kabupaten Lampung Selatan' };

const load = (id: string): LoadedMethodology => {
  const m = getMethodology(id);
  if (!m) throw new Error(`methodology ${id} missing`);
  return m;
};

/** Answers every indicator of a list: levels alternate 1..3, numbers vary, evidence named after the code. */
function answers(m: LoadedMethodology, codes: readonly string[], salt: number): Record<string, AnswerInput> {
  const out: Record<string, AnswerInput> = {};
  codes.forEach((code, i) => {
    const rule = placeIndicators(m).byCode.get(code)?.rule;
    const evidence = `bukti-${code}-${salt}.pdf`;
    out[code] =
      rule?.type === 'level'
        ? { level: ((i + salt) % 3) + 1, evidence }
        : { value: 1.25 * (i + salt), evidence };
  });
  return out;
}

const evidenceOf = (data: FillData): string[] => {
  const names: string[] = [];
  const collect = (record: Record<string, AnswerInput> | undefined) => {
    for (const a of Object.values(record ?? {}))
      if (typeof a === 'object' && a.evidence) names.push(a.evidence);
  };
  collect(data.indicators);
  for (const items of Object.values(data.groups ?? {})) for (const item of items) collect(item.indicators);
  return names;
};

describe('iid-2023', () => {
  const m = load('iid-2023');
  const placement = placeIndicators(m);

  it('places 20 SPD rows on the indicator sheet and 20 SID indicators per innovation', () => {
    expect(placement.region).toHaveLength(20);
    expect(placement.groups.get('inovasi')).toHaveLength(20);
  });

  it('round-trips a fully answered workbook with innovations', async () => {
    const sid = (placement.groups.get('inovasi') ?? []).map((i) => i.code);
    const urusan = ['pendidikan', 'kesehatan', 'pupr', 'sosial'];
    const items: FillItem[] = Array.from({ length: 12 }, (_, n) => ({
      id: `INV-${n + 1}`,
      name: `Inovasi ke-${n + 1}`,
      urusan: urusan[n % urusan.length],
      tahun: 2019 + (n % 5),
      ...(n === 3 ? { status: 'rejected' } : {}),
      indicators: answers(m, sid, n),
    }));
    const data: FillData = {
      methodology: 'iid-2023',
      methodologyHash: m.hash,
      region: '18.01',
      period: 2023,
      indicators: answers(
        m,
        placement.region.map((i) => i.code),
        0,
      ),
      groups: { inovasi: items },
    };
    const bytes = await fillTemplate(await buildTemplate(m, REGION), data);
    const result = await intakeFile({
      bytes,
      fileName: 'iid-2023-18.01.xlsx',
      methodology: m,
      region: '18.01',
      evidenceNames: evidenceOf(data),
    });
    expect(result.problems).toEqual([]);
    expect(result.submission).toEqual(submissionSchema.parse(data));
  });
});

describe('ikkd-2020', () => {
  const m = load('ikkd-2020');

  it('asks for the eligibility profile and leaves survey indicators to the survey template', async () => {
    const wb = await openWorkbook(await buildTemplate(m, REGION));
    const profile: unknown[] = [];
    wb.getWorksheet('Profil')?.eachRow((row, n) => {
      if (n > 2) profile.push(row.getCell(1).value);
    });
    expect(profile).toEqual(['statusKepalaDaerah', 'statusHukum', 'sakip']);
    expect(placeIndicators(m).survey.map((i) => i.code)).toEqual(['2.1', '2.2', '2.3']);
    const survey = await openWorkbook(await buildSurveyTemplate(m, REGION));
    const keys = (survey.getWorksheet('Responden')?.getRow(2).values ?? []) as unknown[];
    expect(keys.filter(Boolean)).toHaveLength(2 + (m.survey?.items.length ?? 0));
  });

  it('validates a survey upload against the 30-respondent minimum', async () => {
    const items = m.survey?.items.map((i) => i.code) ?? [];
    const rows = Array.from({ length: 12 }, (_, i) =>
      [`R${i}`, 'asn', ...items.map(() => String((i % 5) + 1))].join(';'),
    );
    const csv = [['responden', 'peran', ...items].join(';'), ...rows].join('\r\n');
    const result = await intakeFile({
      bytes: new TextEncoder().encode(csv),
      fileName: 'responden.csv',
      methodology: m,
      region: '18.01',
      options: { content: 'survey' },
    });
    expect(result.problems.map((p) => [p.code, p.severity])).toEqual([['SURVEY_TOO_FEW', 'warning']]);
    expect(result.problems[0]?.message_en).toContain('at least 30');
    expect(result.submission?.survey?.respondents).toHaveLength(12);
  });
});

describe('ipkd-2020', () => {
  it('asks for the fiscal-capacity profile used by its clusters', async () => {
    const m = load('ipkd-2020');
    const wb = await openWorkbook(await buildTemplate(m, REGION));
    expect(wb.getWorksheet('Profil')?.getCell('A3').value).toBe('kapasitasFiskal');
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Petunjuk', 'Profil', 'Indikator', '_meta']);
  });
});
