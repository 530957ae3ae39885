import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'indeks-cli-'));
const example = readFileSync(
  new URL('../../../examples/iid-2023-lampung-selatan.json', import.meta.url),
  'utf8',
);

describe('indeks validate', () => {
  it('exits 0 on a valid file, warnings allowed', async () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, example);
    const { code, stdout } = await runCli(['validate', file, '-m', 'iid-2023', '-r', '18.01']);
    expect(code).toBe(0);
    expect(stdout).toContain('SAH / VALID');
  });

  it('exits 1 and reports every problem with its location as JSON', async () => {
    const file = join(dir, 'wrong-region.json');
    writeFileSync(file, example);
    const { code, stdout } = await runCli(['validate', file, '-m', 'iid-2023', '-r', '18.02', '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({
      code: 'REGION_MISMATCH',
      severity: 'error',
      location: { path: 'region' },
    });
    expect(report.problems[0].message_id).toContain('18.02');
  });

  it('exits 2 on wrong usage', async () => {
    expect((await runCli(['validate', 'x.json', '-m', 'iid-2023'])).code).toBe(2);
    expect((await runCli(['validate', 'x.json', '-m', 'iid-2023', '-r', '99.99'])).code).toBe(2);
  });
});

describe('indeks template', () => {
  it('writes the region template, which validates back as an empty (rejected) submission', async () => {
    const out = join(dir, 'template.xlsx');
    const made = await runCli(['template', '-m', 'iid-2023', '-r', '18.01', '-o', out]);
    expect(made.code).toBe(0);
    expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK');
    const checked = await runCli(['validate', out, '-m', 'iid-2023', '-r', '18.01', '--json']);
    expect(checked.code).toBe(1);
    expect(JSON.parse(checked.stdout).problems.map((p: { code: string }) => p.code)).toContain(
      'MISSING_MANDATORY',
    );
  });

  it('refuses a survey template for a methodology without a survey', async () => {
    expect(
      (await runCli(['template', '-m', 'iid-2023', '-r', '18.01', '-o', join(dir, 's.xlsx'), '--survey']))
        .code,
    ).toBe(2);
    expect(
      (await runCli(['template', '-m', 'ikkd-2020', '-r', '18.01', '-o', join(dir, 's.xlsx'), '--survey']))
        .code,
    ).toBe(0);
  });
});
