import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeys } from '#adapters/bucket-layout';
import { demoUploads } from '#cli/demo/generate';
import {
  BUNDLE_PATHS,
  buildManifest,
  type CodeInfo,
  formatReport,
  isExact,
  reproduce,
} from '#domain/bundle/index';
import { rank, scoreRun } from '#domain/engine/index';
import { getMethodology } from '#domain/methodology/registry';
import type { Submission } from '#domain/submission';
import { createApiBundle } from '#functions/api-bundle';
import { writeZip } from '#functions/lib/bundle/zip';
import type { NationalRegionResult } from '#functions/lib/national/contracts';
import { readZipEntries } from '#intake/zip-guard';
import { apiEvent } from '../../support/api-event';
import { runCli } from '../../support/cli';
import {
  type NationalHarness,
  runPipeline,
  seedAccepted,
  seedCycle,
  startNationalHarness,
} from '../national/harness';

const CYCLE = 'iid-2023';
const RUN = `${CYCLE}-r1`;
const PROVISIONAL_RUN = `${CYCLE}-r0`;
const ROUTE = 'GET /cycles/{cycleId}/runs/{runId}/bundle';
const CODE: CodeInfo = { package: { name: 'indeks', version: '0.1.0' }, commit: 'a'.repeat(40) };
const m = (() => {
  const loaded = getMethodology('iid-2023');
  if (!loaded) throw new Error('iid-2023 is not shipped');
  return loaded;
})();

// Lampung (18) and Jawa Tengah (33): every province, kabupaten and kota there submits.
// (the demo generator's upload bodies, as validation would have stored them).
const submissions = demoUploads({
  methodology: 'iid-2023',
  period: 2023,
  innovations: 1500,
  seed: 7,
  allValid: true,
})
  .filter((u) => /^(18|33)(\.|$)/.test(u.region.kode))
  .map((u) => ({ region: u.region.kode, body: JSON.parse(u.body) as unknown }));

let h: NationalHarness;
let ledgerHead: { seq: number; hash: string };
let api: ReturnType<typeof createApiBundle>;
const call = (runId: string, groups: string[], extra: { region?: string; province?: string } = {}) =>
  api(apiEvent(ROUTE, { params: { cycleId: CYCLE, runId }, groups, ...extra }), {} as never);

beforeAll(async () => {
  h = await startNationalHarness({}, 'indeks-bundle');
  await seedCycle(h, CYCLE, 'iid-2023');
  for (const s of submissions) await seedAccepted(h, CYCLE, s.region, s.body);
  const repos = h.table.repos;
  await repos.cycles.transition(CYCLE, 'OPEN');
  await repos.cycles.transition(CYCLE, 'CLOSED');
  await repos.cycles.transition(CYCLE, 'ASSESSING', { currentRunId: PROVISIONAL_RUN });
  await runPipeline(h, { cycleId: CYCLE, runId: PROVISIONAL_RUN, startedAt: '2026-04-01T18:00:00Z' });
  await runPipeline(h, { cycleId: CYCLE, runId: RUN, startedAt: '2026-04-01T19:00:00Z' });
  // Publication as the FINAL route records it: a `run.final` entry, its head kept on the run; an
  // entry after it (a later edition) is not part of the run's bundle.
  const admin = { sub: 'admin-1', role: 'admin' };
  const final = await repos.ledger.append(CYCLE, {
    action: 'run.final',
    actor: admin,
    at: '2026-04-10T03:00:00Z',
    subject: { run: RUN },
  });
  ledgerHead = { seq: final.seq, hash: final.hash };
  await repos.runs.transition(CYCLE, RUN, 'FINAL', { at: '2026-04-10T03:00:00Z', by: 'admin-1', ledgerHead });
  await repos.ledger.append(CYCLE, {
    action: 'edition.published',
    actor: admin,
    at: '2026-05-01T03:00:00Z',
    subject: { edition: '2' },
  });
  api = createApiBundle({
    repos,
    objects: h.objects,
    presign: async (key) => `https://presigned.example/${key}`,
    code: CODE,
  });
}, 180_000);
let dir: string;
afterAll(async () => {
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function bundleOf(runId: string): Promise<Map<string, Buffer>> {
  const read = await readZipEntries(await h.objects.getBytes(runKeys(CYCLE, runId).bundle));
  expect(read.problem).toBeUndefined();
  return read.entries;
}

const json = <T>(files: ReadonlyMap<string, Uint8Array>, path: string): T =>
  JSON.parse(Buffer.from(files.get(path) ?? new Uint8Array()).toString('utf8')) as T;

describe('GET /cycles/{cycleId}/runs/{runId}/bundle', () => {
  it('builds the bundle of a published run once, stores it under the run and links it', async () => {
    const first = await call(RUN, ['admin']);
    expect(first.statusCode).toBe(200);
    const body = JSON.parse(first.body ?? '{}');
    expect(body).toMatchObject({
      cycleId: CYCLE,
      runId: RUN,
      key: `runs/${CYCLE}/${RUN}/bundle.zip`,
      url: `https://presigned.example/runs/${CYCLE}/${RUN}/bundle.zip`,
      expiresIn: 300,
      built: true,
    });
    const again = JSON.parse((await call(RUN, ['leadership'])).body ?? '{}');
    expect(again).toMatchObject({ built: false, sha256: body.sha256, bytes: body.bytes });
  });

  it('holds every listed file: methodology by its hash, each scored submission, results, code', async () => {
    const files = await bundleOf(RUN);
    const run = json<{ methodology: { id: string; hash: string; file: string }; status: string }>(
      files,
      BUNDLE_PATHS.run,
    );
    expect(run).toMatchObject({ status: 'FINAL', methodology: { id: 'iid-2023', hash: m.hash } });
    expect(json(files, BUNDLE_PATHS.code)).toEqual(CODE);
    // The ledger up to the run's publication (what the pipeline and the publication recorded): its
    // head is the run's and is named in run.json.
    const ledger = Buffer.from(files.get(BUNDLE_PATHS.ledger) ?? [])
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const stored = await h.table.repos.ledger.list(CYCLE);
    expect(ledger).toEqual(stored.slice(0, ledgerHead.seq));
    expect(stored).toHaveLength(ledgerHead.seq + 1);
    expect(ledger.at(-1)).toMatchObject({
      action: 'run.final',
      subject: { run: RUN },
      hash: ledgerHead.hash,
    });
    expect(json<{ ledger: unknown }>(files, BUNDLE_PATHS.run).ledger).toEqual({
      entries: ledgerHead.seq,
      head: ledgerHead,
    });
    const manifest = json<{ code: CodeInfo; files: { path: string }[] }>(files, BUNDLE_PATHS.manifest);
    expect(manifest.code).toEqual(CODE);
    expect(manifest.files.map((f) => f.path).sort()).toEqual(
      [...files.keys()].filter((p) => p !== BUNDLE_PATHS.manifest).sort(),
    );
    const submitted = submissions.map((s) => BUNDLE_PATHS.selfSubmission(s.region)).sort();
    expect([...files.keys()].filter((p) => p.startsWith('submissions/self/')).sort()).toEqual(submitted);
    expect([...files.keys()]).toEqual(
      expect.arrayContaining([
        BUNDLE_PATHS.results,
        BUNDLE_PATHS.resultsCsv,
        BUNDLE_PATHS.ranksCsv,
        BUNDLE_PATHS.ledger,
      ]),
    );
    const results = json<{ results: NationalRegionResult[] }>(files, BUNDLE_PATHS.results).results;
    expect(results).toHaveLength(552);
    // results.csv: a header and one row per region.
    expect(
      Buffer.from(files.get(BUNDLE_PATHS.resultsCsv) ?? [])
        .toString('utf8')
        .trim()
        .split('\r\n'),
    ).toHaveLength(553);
  });

  it('reproduces every region exactly from the bundle alone', async () => {
    const report = reproduce(await bundleOf(RUN));
    expect(report.kind).toBe('compared');
    expect(isExact(report)).toBe(true);
    expect(formatReport(report)[1]).toBe(`ledger intact: ${ledgerHead.seq} entries, head ${ledgerHead.hash}`);
    expect(formatReport(report).at(-1)).toBe(
      `reproduced 552/552 regions exactly (${submissions.length} scored)`,
    );
  });

  it('reports exactly the flipped region and every region whose rank moved', async () => {
    const files = await bundleOf(RUN);
    const published = json<{ results: NationalRegionResult[] }>(files, BUNDLE_PATHS.results).results;
    const self = new Map(
      submissions.map((s) => [s.region, json<Submission>(files, BUNDLE_PATHS.selfSubmission(s.region))]),
    );
    // Independently of reproduce: the engine over the altered submissions, ranked per cluster;
    // the first flip (in code order) that moves some other region's rank is the one tested.
    const expectedAfter = (altered: Map<string, Submission>) => {
      const scored = scoreRun(m, [...altered.values()]).results;
      const changed = new Set<string>();
      const byRegion = new Map(scored.map((r) => [r.region, r]));
      const ranks = new Map<string, Record<string, number>>();
      for (const c of rank(scored, m.clusters))
        for (const e of c.entries)
          if (e.rank !== null) ranks.set(e.region, { ...ranks.get(e.region), [c.cluster]: e.rank });
      for (const b of published) {
        const r = byRegion.get(b.kode);
        if (!r) continue;
        if (
          r.index !== b.score ||
          r.display !== b.display ||
          r.predikat !== b.predikat ||
          r.eligible !== b.eligible
        )
          changed.add(b.kode);
        if (JSON.stringify(ranks.get(b.kode) ?? {}) !== JSON.stringify(b.ranks)) changed.add(b.kode);
      }
      return changed;
    };
    let flipped: { kode: string; altered: Map<string, Submission>; expected: Set<string> } | undefined;
    for (const [kode, s] of self) {
      const answer = s.indicators['1'];
      if (answer?.level === undefined) continue;
      const altered = new Map(self);
      const copy = structuredClone(s);
      copy.indicators['1'] = { ...answer, level: answer.level === 3 ? 1 : 3 };
      altered.set(kode, copy);
      const expected = expectedAfter(altered);
      if (expected.size > 1) {
        flipped = { kode, altered, expected };
        break;
      }
    }
    if (!flipped) throw new Error('no single level flip moves another region: the fixture is too small');
    expect(flipped.expected.has(flipped.kode)).toBe(true);

    const tampered = new Map<string, Uint8Array>(files);
    tampered.set(
      BUNDLE_PATHS.selfSubmission(flipped.kode),
      Buffer.from(JSON.stringify(flipped.altered.get(flipped.kode))),
    );
    tampered.set(BUNDLE_PATHS.manifest, Buffer.from(JSON.stringify(buildManifest(tampered, CODE))));
    const report = reproduce(tampered);
    if (report.kind !== 'compared') throw new Error(`not compared: ${formatReport(report).join('\n')}`);
    expect(new Set(report.differences.map((d) => d.region))).toEqual(flipped.expected);
    expect(report.exact).toBe(552 - flipped.expected.size);
    expect(report.differences.filter((d) => d.region === flipped.kode).map((d) => d.field)).toContain(
      'index',
    );
    const lines = formatReport(report);
    expect(lines[2]).toBe(
      `reproduced ${552 - flipped.expected.size}/552 regions exactly; ${flipped.expected.size} differ:`,
    );
  });

  it('names the altered ledger entry even when the manifest was fixed up', async () => {
    const files = new Map<string, Uint8Array>(await bundleOf(RUN));
    const lines = Buffer.from(files.get(BUNDLE_PATHS.ledger) ?? [])
      .toString('utf8')
      .trim()
      .split('\n');
    const second = JSON.parse(lines[1] ?? '{}');
    lines[1] = JSON.stringify({ ...second, at: '2026-04-01T20:00:00.000Z' });
    files.set(BUNDLE_PATHS.ledger, Buffer.from(`${lines.join('\n')}\n`));
    files.set(BUNDLE_PATHS.manifest, Buffer.from(JSON.stringify(buildManifest(files, CODE))));
    const report = reproduce(files);
    if (report.kind !== 'compared') throw new Error('not compared');
    expect(report.differences).toEqual([]);
    expect(report.ledger).toMatchObject({ intact: false, seq: 2, reason: 'altered' });
    expect(isExact(report)).toBe(false);
    expect(formatReport(report).slice(1)).toEqual([
      expect.stringMatching(/^ledger broken at entry 2 \(altered\)/),
      'reproduced 552/552 regions exactly, but the ledger is not intact',
    ]);
  });

  it('reports a file that disagrees with the manifest, and a file the manifest does not list', async () => {
    const files = new Map<string, Uint8Array>(await bundleOf(RUN));
    const path = BUNDLE_PATHS.selfSubmission(submissions[0]?.region ?? '18');
    const listed = json<{ files: { path: string; sha256: string }[] }>(
      files,
      BUNDLE_PATHS.manifest,
    ).files.find((f) => f.path === path);
    files.set(path, Buffer.concat([Buffer.from(files.get(path) ?? []), Buffer.from(' ')]));
    files.set('extra.txt', Buffer.from('not listed'));
    const report = reproduce(files);
    expect(report).toEqual({
      kind: 'manifest',
      problems: [
        {
          path,
          problem: 'sha256',
          expected: listed?.sha256,
          actual: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
        { path: 'extra.txt', problem: 'unlisted' },
      ],
    });
    expect(isExact(report)).toBe(false);
    expect(formatReport(report)[0]).toBe('manifest mismatch / manifest tidak cocok:');
  });

  it('is for leadership and admins only, and only for a published run', async () => {
    const problem = async (runId: string, groups: string[], extra = {}) => {
      const out = await call(runId, groups, extra);
      return { status: out.statusCode, code: JSON.parse(out.body ?? '{}').title };
    };
    expect((await call(RUN, ['leadership'])).statusCode).toBe(200);
    expect((await call(RUN, ['admin'])).statusCode).toBe(200);
    expect(await problem(RUN, ['operator'], { region: '18.01' })).toMatchObject({ status: 403 });
    expect(await problem(RUN, ['assessor'], { province: '31' })).toMatchObject({ status: 403 });
    expect(await problem(RUN, [])).toMatchObject({ status: 403 });
    expect(await problem(PROVISIONAL_RUN, ['admin'])).toEqual({ status: 409, code: 'RUN_NOT_PUBLISHED' });
    expect(await problem('nope', ['admin'])).toMatchObject({ status: 404 });
    expect(await h.objects.getBytes(runKeys(CYCLE, PROVISIONAL_RUN).bundle).catch((e: Error) => e.name)).toBe(
      'NoSuchKey',
    );
  });

  it('indeks reproduce FILE.zip: exit 0 when exact, 1 with each difference', async () => {
    dir = await mkdtemp(join(tmpdir(), 'indeks-bundle-'));
    const good = join(dir, 'good.zip');
    await writeFile(good, await h.objects.getBytes(runKeys(CYCLE, RUN).bundle));
    const ok = await runCli(['reproduce', good]);
    expect(ok.code).toBe(0);
    expect(ok.stdout.split('\n')[1]).toBe(
      `ledger intact: ${ledgerHead.seq} entries, head ${ledgerHead.hash}`,
    );
    expect(ok.stdout.split('\n').at(-1)).toBe(
      `reproduced 552/552 regions exactly (${submissions.length} scored)`,
    );

    const files = new Map<string, Uint8Array>(await bundleOf(RUN));
    files.set(BUNDLE_PATHS.ranksCsv, Buffer.from('changed\r\n'));
    const bad = join(dir, 'bad.zip');
    await writeFile(bad, await writeZip(files));
    const refused = await runCli(['reproduce', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(`${BUNDLE_PATHS.ranksCsv}: sha256`);

    const notZip = join(dir, 'not.zip');
    await writeFile(notZip, 'not a zip');
    expect((await runCli(['reproduce', notZip])).code).toBe(1);
    expect((await runCli(['reproduce'])).code).toBe(2);
  });
});
