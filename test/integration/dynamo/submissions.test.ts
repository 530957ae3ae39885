import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submissionIdFor } from '#adapters/dynamo/index';
import { startTestTable, type TestTable } from './dynalite-table';

let t: TestTable;
beforeAll(async () => {
  t = await startTestTable();
});
afterAll(async () => {
  await t.close();
});

const object = (key: string, versionId = 'v1') => ({
  bucket: 'uploads',
  key,
  versionId,
  etag: 'e1',
  size: 1234,
});

describe('SubmissionRepository', () => {
  it('derives a stable, execution-name-safe id from the object identity', () => {
    const a = submissionIdFor(object('submissions/c1/18.01/u1/data.xlsx'));
    expect(a).toBe(submissionIdFor(object('submissions/c1/18.01/u1/data.xlsx')));
    expect(a).not.toBe(submissionIdFor(object('submissions/c1/18.01/u1/data.xlsx', 'v2')));
    expect(a).toMatch(/^[A-Za-z0-9-]{1,80}$/);
  });

  it('the same S3 object event twice yields one submission', async () => {
    const input = {
      cycleId: 'iid-2025',
      kode: '18.01',
      object: object('submissions/iid-2025/18.01/u1/data.xlsx'),
      uploadedAt: '2025-03-01T10:00:00+07:00',
      uploadedBy: 'op-1',
      fileName: 'data.xlsx',
    };
    const first = await t.repos.submissions.createFromUpload(input);
    const second = await t.repos.submissions.createFromUpload(input);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.submission.submissionId).toBe(first.submission.submissionId);
    expect(second.submission.uploadedAt).toBe('2025-03-01T03:00:00.000Z');
    expect(second.submission.provinsi).toBe('18');
    const page = await t.repos.submissions.listForRegion('iid-2025', '18.01');
    expect(page.items).toHaveLength(1);
    const region = await t.repos.regionStatus.get('iid-2025', '18.01');
    expect(region?.latest?.status).toBe('UPLOADED');
    expect(region?.current).toBeUndefined();
  });

  it('guards every transition so nothing moves backwards, and records the history', async () => {
    const { submission } = await t.repos.submissions.createFromUpload({
      cycleId: 'iid-2025',
      kode: '18.02',
      object: object('submissions/iid-2025/18.02/u1/data.xlsx'),
      uploadedAt: '2025-03-01T11:00:00Z',
    });
    const ref = submission;
    expect((await t.repos.submissions.transition(ref, 'ACCEPTED')).outcome).toBe('rejected');
    expect((await t.repos.submissions.transition(ref, 'VALIDATING')).outcome).toBe('applied');
    expect((await t.repos.submissions.transition(ref, 'VALIDATING')).outcome).toBe('unchanged');
    const accepted = await t.repos.submissions.transition(ref, 'ACCEPTED', {
      patch: { validation: { reportKey: 'reports/x.json', errorCount: 0, warningCount: 2 } },
    });
    expect(accepted.outcome).toBe('applied');
    // A late, duplicated "start validating" event cannot move it back.
    const late = await t.repos.submissions.transition(ref, 'VALIDATING');
    expect(late.outcome).toBe('rejected');
    if (late.outcome === 'rejected') expect(late.submission.status).toBe('ACCEPTED');
    const scored = await t.repos.submissions.transition(ref, 'SCORED', {
      patch: { score: { scoreCardKey: 'scorecards/x.json', total: 71.5 } },
    });
    expect(scored.outcome).toBe('applied');
    // Final: a failure recorded after scoring is refused.
    expect((await t.repos.submissions.transition(ref, 'FAILED', { reason: 'late catch' })).outcome).toBe(
      'rejected',
    );
    const stored = await t.repos.submissions.get(ref);
    expect(stored?.history.map((h) => h.status)).toEqual(['UPLOADED', 'VALIDATING', 'ACCEPTED', 'SCORED']);
    expect(stored?.validation?.warningCount).toBe(2);
    expect(stored?.score?.total).toBe(71.5);
    const region = await t.repos.regionStatus.get('iid-2025', '18.02');
    expect(region?.current?.status).toBe('SCORED');
    expect(region?.latest?.submissionId).toBe(ref.submissionId);
  });

  it('records a failure from VALIDATING so nothing stays VALIDATING', async () => {
    const { submission } = await t.repos.submissions.createFromUpload({
      cycleId: 'iid-2025',
      kode: '18.03',
      object: object('submissions/iid-2025/18.03/u1/data.csv'),
      uploadedAt: '2025-03-01T11:00:00Z',
    });
    await t.repos.submissions.transition(submission, 'VALIDATING');
    const failed = await t.repos.submissions.transition(submission, 'FAILED', {
      reason: 'validator crashed',
      patch: { failure: { reason: 'validator crashed', error: 'Lambda.Unknown', cause: 'timeout' } },
    });
    expect(failed.outcome).toBe('applied');
    const stuck = await t.repos.submissions.listByStatus('iid-2025', 'VALIDATING');
    expect(stuck.items.map((s) => s.kode)).not.toContain('18.03');
    const failures = await t.repos.submissions.listByStatus('iid-2025', 'FAILED');
    expect(failures.items.map((s) => s.kode)).toContain('18.03');
  });

  it('reports not-found for an unknown submission', async () => {
    const outcome = await t.repos.submissions.transition(
      { cycleId: 'iid-2025', kode: '18.04', submissionId: 's-missing' },
      'VALIDATING',
    );
    expect(outcome.outcome).toBe('not-found');
  });

  it('keeps the newest accepted upload as current, whatever order the events arrive in', async () => {
    const cycleId = 'iid-2025';
    const kode = '18.71';
    const older = await t.repos.submissions.createFromUpload({
      cycleId,
      kode,
      object: object('submissions/iid-2025/18.71/u1/a.xlsx'),
      uploadedAt: '2025-03-02T01:00:00Z',
    });
    const newer = await t.repos.submissions.createFromUpload({
      cycleId,
      kode,
      object: object('submissions/iid-2025/18.71/u2/b.xlsx'),
      uploadedAt: '2025-03-02T02:00:00Z',
    });
    // The newer one is validated first...
    await t.repos.submissions.transition(newer.submission, 'VALIDATING');
    await t.repos.submissions.transition(newer.submission, 'ACCEPTED');
    // ...then the older one: it must not replace the newer pointers.
    await t.repos.submissions.transition(older.submission, 'VALIDATING');
    await t.repos.submissions.transition(older.submission, 'ACCEPTED');
    const region = await t.repos.regionStatus.get(cycleId, kode);
    expect(region?.current?.submissionId).toBe(newer.submission.submissionId);
    expect(region?.latest?.submissionId).toBe(newer.submission.submissionId);
    expect(region?.latest?.status).toBe('ACCEPTED');

    // A third, newest upload is rejected: latest moves, current stays on the accepted one.
    const newest = await t.repos.submissions.createFromUpload({
      cycleId,
      kode,
      object: object('submissions/iid-2025/18.71/u3/c.xlsx'),
      uploadedAt: '2025-03-02T03:00:00Z',
    });
    await t.repos.submissions.transition(newest.submission, 'VALIDATING');
    await t.repos.submissions.transition(newest.submission, 'REJECTED');
    const after = await t.repos.regionStatus.get(cycleId, kode);
    expect(after?.latest).toMatchObject({ submissionId: newest.submission.submissionId, status: 'REJECTED' });
    expect(after?.current?.submissionId).toBe(newer.submission.submissionId);

    const listed = await t.repos.submissions.listForRegion(cycleId, kode, { limit: 2 });
    expect(listed.items.map((s) => s.submissionId)).toEqual([
      newest.submission.submissionId,
      newer.submission.submissionId,
    ]);
    expect(listed.cursor).toBeDefined();
    const rest = await t.repos.submissions.listForRegion(cycleId, kode, { limit: 2, cursor: listed.cursor });
    expect(rest.items.map((s) => s.submissionId)).toEqual([older.submission.submissionId]);
  });

  it('lists a province with its kabupaten/kota and the current submissions of a cycle', async () => {
    const province = await t.repos.regionStatus.listForProvince('iid-2025', '18');
    expect(province.map((r) => r.kode).sort()).toEqual(['18.01', '18.02', '18.03', '18.71']);
    const current = await t.repos.regionStatus.listCurrent('iid-2025');
    expect(current.map((r) => r.kode).sort()).toEqual(['18.02', '18.71']);
  });

  it('rejects ids that would break the key layout', async () => {
    await expect(
      t.repos.submissions.get({ cycleId: 'iid#2025', kode: '18.01', submissionId: 's-1' }),
    ).rejects.toThrow(/key segment/);
    await expect(
      t.repos.submissions.get({ cycleId: 'iid-2025', kode: '18.1', submissionId: 's-1' }),
    ).rejects.toThrow(/region code/);
  });
});
