import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { score } from '#domain/engine/index';
import { getMethodology } from '#domain/methodology/registry';
import { intakeFile } from '#intake/index';

const iid2026 = getMethodology('iid-2026');
const ikkd = getMethodology('ikkd-2020');
if (!iid2026 || !ikkd) throw new Error('shipped methodologies missing');

const example = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8')) as {
    region: string;
    profile: Record<string, string>;
    groups: { inovasi: { urusan: string }[] };
  };

const viaJson = (doc: unknown, methodology = iid2026, region = '35.76') =>
  intakeFile({
    bytes: Buffer.from(JSON.stringify(doc)),
    fileName: 'isian.json',
    contentType: 'application/json',
    methodology,
    region,
  });

describe('one spelling whatever the format (issue 12 §1)', () => {
  it('scores the Mojokerto 2026 example 67.04 "Sangat Inovatif" with SOSIAL/PUPR upper-case', async () => {
    const doc = example('iid-2026-kota-mojokerto.json');
    const lower = await viaJson(doc);
    const upper = structuredClone(doc);
    for (const item of upper.groups.inovasi) item.urusan = ` ${item.urusan.toUpperCase()} `;
    const shouted = await viaJson(upper);
    for (const result of [lower, shouted]) {
      expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
      if (!result.submission) throw new Error('no submission');
      const card = score(iid2026, result.submission);
      expect([card.display, card.predikat]).toEqual(['67.04', 'Sangat Inovatif']);
    }
    expect(shouted.submission?.groups).toEqual(lower.submission?.groups);
  });

  it('warns about an urusan that is not a basic service, naming the six codes', async () => {
    const doc = example('iid-2026-kota-mojokerto.json');
    const first = doc.groups.inovasi[0];
    if (first) first.urusan = 'Kesehatann';
    const result = await viaJson(doc);
    const warning = result.problems.find((p) => p.code === 'CODE_NOT_BASIC_SERVICE');
    expect(warning?.severity).toBe('warning');
    for (const code of ['pendidikan', 'kesehatan', 'pupr', 'perumahan', 'trantibumlinmas', 'sosial'])
      expect(warning?.message_id).toContain(code);
    expect(warning?.message_id).toContain('"kesehatann"');
    expect(warning?.message_en).toContain('basic-service');
  });

  it('accepts the documented eligibility values whatever their case', async () => {
    const doc = example('ikkd-2020-kota-surakarta.json');
    doc.profile = { statusKepalaDaerah: 'Definitif', statusHukum: ' NONE', sakip: 'a' };
    const result = await viaJson(doc, ikkd, doc.region);
    expect(result.problems.filter((p) => p.code.startsWith('PROFILE'))).toEqual([]);
    if (!result.submission) throw new Error('no submission');
    expect(result.submission.profile).toEqual({
      statusKepalaDaerah: 'definitif',
      statusHukum: 'none',
      sakip: 'A',
    });
    expect(score(ikkd, result.submission).eligible).toBe(true);
  });

  it('refuses an undocumented eligibility value as an error naming the allowed values', async () => {
    const doc = example('ikkd-2020-kota-surakarta.json');
    doc.profile = { ...doc.profile, statusKepalaDaerah: 'defenitif' };
    const result = await viaJson(doc, ikkd, doc.region);
    const error = result.problems.find((p) => p.code === 'PROFILE_VALUE_UNKNOWN');
    expect(error?.severity).toBe('error');
    expect(error?.message_id).toContain('definitif, pj, plt');
    expect(error?.message_en).toContain('definitif, pj, plt');
    expect(result.submission).toBeUndefined();
  });
});
