import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'indeks-cli-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const example = {
  methodology: 'iid-2023',
  region: '18.01',
  period: 2023,
  indicators: {
    '1': 3,
    '2a': { level: 2, evidence: 'apbd.pdf' },
    '4': { value: 5.1 },
    '8': { level: 3, status: 'rejected' },
  },
  groups: { inovasi: [{ id: 'INV-1', urusan: 'kesehatan', indicators: { '16': 2, '17': { value: 25 } } }] },
};

describe('indeks score', () => {
  it('prints one JSON object with index, display, predikat and breakdown', async () => {
    const { code, stdout } = await runCli([
      'score',
      file('ok.json', example),
      '--methodology',
      'iid-2023',
      '--json',
    ]);
    expect(code).toBe(0);
    const card = JSON.parse(stdout);
    expect(card.index).toBeCloseTo(3.352, 12);
    expect(card.display).toBe('3.35');
    expect(card.predikat).toBe('Kurang Inovatif');
    expect(card.breakdown.children.map((c: { id: string }) => c.id)).toEqual(['SPD', 'SID']);
  });

  it('prints a readable table without --json', async () => {
    const { code, stdout } = await runCli(['score', file('ok2.json', example), '-m', 'iid-2023']);
    expect(code).toBe(0);
    expect(stdout).toContain('Kurang Inovatif');
    expect(stdout).toContain('MAX(10, 1)');
    expect(stdout).toContain('Kabupaten Lampung Selatan');
  });

  it('accepts a methodology file by path', async () => {
    const { code } = await runCli([
      'score',
      file('ok3.json', example),
      '-m',
      'methodologies/iid-2023.json',
      '--json',
    ]);
    expect(code).toBe(0);
  });

  it('exits 1 naming every problem and where, bilingual, without a stack trace', async () => {
    const bad = { ...example, region: '1801', indicators: { '1': { level: 2, value: 3 } } };
    const { code, stderr } = await runCli(['score', file('bad.json', bad), '-m', 'iid-2023']);
    expect(code).toBe(1);
    expect(stderr).toContain('path region');
    expect(stderr).toContain('kode wilayah Kemendagri');
    expect(stderr).toContain('a Kemendagri region code');
    expect(stderr).toContain('indicators.1');
    expect(stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('exits 1 on broken JSON and on a region that contradicts --region', async () => {
    expect((await runCli(['score', file('broken.json', '{"a":'), '-m', 'iid-2023'])).code).toBe(1);
    const r = await runCli([
      'score',
      file('r.json', example),
      '-m',
      'iid-2023',
      '--region',
      '18.02',
      '--json',
    ]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).problems[0].code).toBe('REGION_MISMATCH');
  });

  it('exits 2 on wrong usage', async () => {
    expect((await runCli(['score'])).code).toBe(2);
    expect((await runCli(['score', 'x.json'])).code).toBe(2);
    expect((await runCli(['score', 'x.json', '-m', 'iid-1999'])).code).toBe(2);
    expect((await runCli(['score', 'x.json', '-m', 'iid-2023', '--bogus'])).code).toBe(2);
    expect((await runCli(['nonsense'])).code).toBe(2);
  });

  it('lists the shipped methodologies with their hashes', async () => {
    const { code, stdout } = await runCli(['methodologies', '--json']);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as { id: string; hash: string }[];
    expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining(['iid-2023', 'iid-2026']));
    for (const r of rows) expect(r.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
