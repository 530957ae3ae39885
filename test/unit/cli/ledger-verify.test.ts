import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainEntry, EMPTY_HEAD, type LedgerEntry, SYSTEM_ACTOR, toJsonl } from '#domain/ledger/index';
import { runCli } from '../../support/cli';

let dir: string;
const entries: LedgerEntry[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'indeks-ledger-'));
  let head = EMPTY_HEAD;
  for (let i = 1; i <= 9; i++) {
    const entry = chainEntry('iid-2026', head, {
      action: i === 9 ? 'run.published' : 'decision.recorded',
      actor: i % 2 ? { sub: `assessor-${i}`, role: 'assessor' } : SYSTEM_ACTOR,
      at: `2026-09-0${i}T03:00:00Z`,
      subject: { region: '18.01', answer: `1${i}a` },
      after: { decision: 'accept', level: i % 4 },
    });
    entries.push(entry);
    head = { seq: entry.seq, hash: entry.hash };
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function verifyFile(name: string, lines: string[]) {
  const file = join(dir, name);
  await writeFile(file, lines.map((l) => `${l}\n`).join(''));
  return runCli(['ledger', 'verify', file]);
}
const exported = () => toJsonl(entries).trimEnd().split('\n');

describe('indeks ledger verify FILE', () => {
  it('says intact with the count and the head hash (exit 0)', async () => {
    const out = await verifyFile('intact.jsonl', exported());
    expect(out).toMatchObject({ code: 0, stdout: `ledger intact: 9 entries, head ${entries[8]?.hash}` });
  });

  it('names exactly the seq of an entry altered in the middle (exit 1)', async () => {
    const lines = exported();
    lines[4] = (lines[4] ?? '').replace('"level":1', '"level":3');
    const out = await verifyFile('altered.jsonl', lines);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/^ledger broken at entry 5 \(altered\): Entri 5 .* Entry 5 /);
  });

  it('catches a deleted entry and two reordered ones', async () => {
    const deleted = exported().filter((_, i) => i !== 6);
    expect(await verifyFile('deleted.jsonl', deleted)).toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/^ledger broken at entry 7 \(missing\)/),
    });
    const swapped = exported();
    [swapped[2], swapped[3]] = [swapped[3] ?? '', swapped[2] ?? ''];
    expect(await verifyFile('swapped.jsonl', swapped)).toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/^ledger broken at entry 3 \(reordered\)/),
    });
  });

  it('refuses wrong usage (exit 2): neither or both of FILE and --cycle', async () => {
    expect((await runCli(['ledger', 'verify'])).code).toBe(2);
    expect((await runCli(['ledger', 'verify', 'x.jsonl', '--cycle', 'c'])).code).toBe(2);
  });
});
