import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTable, type TestTable } from '../dynamo/dynalite-table';

let t: TestTable;
beforeAll(async () => {
  t = await startTestTable();
});
afterAll(async () => {
  await t.close();
});

const evidence = (fileName: string, uploadId: string, uploadedAt: string, versionId = 'v1') => ({
  cycleId: 'iid-2025',
  kode: '18.01',
  fileName,
  uploadId,
  object: { bucket: 'uploads', key: `submissions/iid-2025/18.01/${uploadId}/${fileName}`, versionId },
  uploadedAt,
});

describe('EvidenceRepository', () => {
  it('records each evidence object once and lists a region’s evidence in name order', async () => {
    const first = evidence('perda.pdf', 'evidence-aaaaaaaa01', '2025-03-01T10:00:00+07:00');
    expect(await t.repos.evidence.record(first)).toEqual({ created: true });
    expect(await t.repos.evidence.record(first)).toEqual({ created: false });
    await t.repos.evidence.record(evidence('apbd.pdf', 'evidence-aaaaaaaa02', '2025-03-01T11:00:00Z'));
    await t.repos.evidence.record({
      ...evidence('lain.pdf', 'evidence-aaaaaaaa03', '2025-03-01T11:00:00Z'),
      kode: '18.02',
    });
    const listed = await t.repos.evidence.listForRegion('iid-2025', '18.01');
    expect(listed.map((e) => [e.fileName, e.uploadedAt])).toEqual([
      ['apbd.pdf', '2025-03-01T11:00:00.000Z'],
      ['perda.pdf', '2025-03-01T03:00:00.000Z'],
    ]);
    expect(listed[0]).not.toHaveProperty('pk');
  });

  it('a newer version of the same key replaces the record; an older one arriving late does not', async () => {
    const newer = evidence('visi.pdf', 'evidence-bbbbbbbb01', '2025-03-02T10:00:00Z', 'v2');
    const older = evidence('visi.pdf', 'evidence-bbbbbbbb01', '2025-03-02T09:00:00Z', 'v1');
    expect(await t.repos.evidence.record(newer)).toEqual({ created: true });
    expect(await t.repos.evidence.record(older)).toEqual({ created: false });
    const listed = await t.repos.evidence.listForRegion('iid-2025', '18.01');
    expect(listed.find((e) => e.fileName === 'visi.pdf')?.object.versionId).toBe('v2');
  });

  it('does not mix with the submissions and score cards of the same partition', async () => {
    await t.repos.submissions.createFromUpload({
      cycleId: 'iid-2025',
      kode: '18.01',
      object: { bucket: 'uploads', key: 'submissions/iid-2025/18.01/data-cccccccc01/isian.csv', etag: 'e' },
      uploadedAt: '2025-03-03T00:00:00Z',
    });
    expect((await t.repos.evidence.listForRegion('iid-2025', '18.01')).every((e) => e.fileName)).toBe(true);
    expect((await t.repos.submissions.listForRegion('iid-2025', '18.01')).items).toHaveLength(1);
  });
});
