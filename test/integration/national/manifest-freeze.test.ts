import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUploads } from '#cli/demo/generate';
import { handler as freezeManifest } from '#functions/freeze-manifest';
import type { BatchResult, FreezeResult, ManifestItem } from '#functions/lib/national/contracts';
import { handler as scoreBatch } from '#functions/revalidate-region-batch';
import { type NationalHarness, seedAccepted, seedCycle, startNationalHarness } from './harness';

/**
 * Issue 9 §3: a submission that arrives after a run's manifest froze never changes that run. The
 * batches read the submission pinned in the manifest (not the region's current one), and a retried
 * freeze (the run was created, the manifest never written) pins what was current at the run's start.
 */
const lampung = demoUploads({ methodology: 'ikkd-2020', period: 2020, seed: 11, allValid: true }).filter(
  (u) => u.region.provinsi === '18',
);
const bodyOf = (kode: string): unknown =>
  JSON.parse(lampung.find((u) => u.region.kode === kode)?.body ?? 'null');
const STARTED = '2026-04-02T01:00:05+07:00';
const LATER = '2026-04-02T03:00:00Z';

let h: NationalHarness;
const original = new Map<string, string>();

async function seedRegions(cycleId: string) {
  await seedCycle(h, cycleId, 'ikkd-2020');
  for (const u of lampung)
    original.set(
      `${cycleId}/${u.region.kode}`,
      await seedAccepted(h, cycleId, u.region.kode, bodyOf(u.region.kode)),
    );
}

/** Region 18.04 gets a newer accepted submission holding 18.05's data (scoring it would be invalid). */
const replace1804 = (cycleId: string) =>
  seedAccepted(h, cycleId, '18.04', bodyOf('18.05'), { uploadedAt: LATER, version: '2' });

const freeze = (cycleId: string, runId: string) =>
  freezeManifest({
    cycleId,
    trigger: 'calendar',
    run: { runId, startedAt: STARTED },
  }) as Promise<FreezeResult>;

beforeAll(async () => {
  h = await startNationalHarness({}, 'indeks-manifest-freeze');
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('manifest freeze isolation', () => {
  it('a submission accepted after the freeze moves the region’s current one but not the frozen run', async () => {
    await seedRegions('freeze-a');
    const manifest = await freeze('freeze-a', 'freeze-a-r1');
    const newer = await replace1804('freeze-a');
    expect((await h.table.repos.regionStatus.get('freeze-a', '18.04'))?.current?.submissionId).toBe(newer);

    const items = await h.objects.getJson<ManifestItem[]>(manifest.manifestKey);
    expect(items.find((i) => i.kode === '18.04')?.submissionId).toBe(original.get('freeze-a/18.04'));
    const batch = (await scoreBatch({
      Items: items,
      BatchInput: { cycleId: 'freeze-a', runId: 'freeze-a-r1', manifestKey: manifest.manifestKey },
    })) as BatchResult;
    // Had the batch read 18.04's current submission (18.05's data), it would count one invalid.
    expect(batch).toMatchObject({ regions: lampung.length, invalid: 0, failed: 0 });
    // A retry of the freeze returns the manifest already written, unchanged.
    expect(await freeze('freeze-a', 'freeze-a-r1')).toEqual(manifest);
    expect(await h.objects.getJson<ManifestItem[]>(manifest.manifestKey)).toEqual(items);
  });

  it('a freeze retried after the run was created pins the submissions current at the run’s start', async () => {
    await seedRegions('freeze-b');
    // The first attempt created the run and died before writing the manifest.
    await h.table.repos.runs.create({
      cycleId: 'freeze-b',
      runId: 'freeze-b-r1',
      methodology: (await h.table.repos.cycles.get('freeze-b'))?.methodology ?? { id: '', hash: '' },
      trigger: 'calendar',
      startedAt: STARTED,
      manifestKey: 'runs/freeze-b/freeze-b-r1/manifest.json',
      regionCount: lampung.length,
    });
    await replace1804('freeze-b');
    const manifest = await freeze('freeze-b', 'freeze-b-r1');
    const items = await h.objects.getJson<ManifestItem[]>(manifest.manifestKey);
    expect(items).toHaveLength(lampung.length);
    expect(items.find((i) => i.kode === '18.04')?.submissionId).toBe(original.get('freeze-b/18.04'));
  });
});
