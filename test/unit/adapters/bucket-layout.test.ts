import { describe, expect, it } from 'vitest';
import { canonicalKey, newUploadId, parseUploadKey, reportKey, scoreCardKey } from '#adapters/bucket-layout';

describe('upload key layout', () => {
  it('reads data and evidence keys the server generates', () => {
    const id = newUploadId('data', new Date('2026-03-01T00:00:00Z'));
    expect(parseUploadKey(`submissions/iid-2026/18.01/${id}/isian.xlsx`)).toEqual({
      ok: true,
      upload: { cycleId: 'iid-2026', kode: '18.01', uploadId: id, kind: 'data', fileName: 'isian.xlsx' },
    });
    const evidence = newUploadId('evidence');
    expect(parseUploadKey(`submissions/iid-2026/18/${evidence}/Bukti_APBD.pdf`)).toMatchObject({
      ok: true,
      upload: { kind: 'evidence', kode: '18' },
    });
  });

  it('upload ids are time-ordered and unique', () => {
    const a = newUploadId('data', new Date('2026-03-01T00:00:00Z'));
    const b = newUploadId('data', new Date('2026-03-01T00:00:01Z'));
    expect(a).toMatch(/^data-[0-9a-z]{25}$/);
    expect(a.slice(0, 14) < b.slice(0, 14)).toBe(true);
    expect(newUploadId('data')).not.toBe(newUploadId('data'));
  });

  it.each([
    ['another prefix', 'reports/c/18.01/data-0123456789/a.csv'],
    ['too few segments', 'submissions/c/18.01/a.csv'],
    ['nested deeper', 'submissions/c/18.01/data-0123456789/x/a.csv'],
    ['an unknown region', 'submissions/c/18.99/data-0123456789/a.csv'],
    ['a BPS-style code', 'submissions/c/1801/data-0123456789/a.csv'],
    ['a client-chosen upload id', 'submissions/c/18.01/mine/a.csv'],
    ['an upload id of another kind', 'submissions/c/18.01/survey-0123456789/a.csv'],
    ['a name the server would not produce', 'submissions/c/18.01/data-0123456789/a b.csv'],
    ['a dot file', 'submissions/c/18.01/data-0123456789/.env'],
    ['an empty name', 'submissions/c/18.01/data-0123456789/'],
    ['a cycle id with a hash', 'submissions/c#1/18.01/data-0123456789/a.csv'],
    ['URL-encoded traversal', 'submissions/c/18.01/data-0123456789/..%2Fa.csv'],
  ])('refuses %s as foreign', (_why, key) => {
    expect(parseUploadKey(key)).toMatchObject({ ok: false });
  });

  it('places reports, canonical submissions and score cards per cycle, region and submission', () => {
    const s = { cycleId: 'iid-2026', kode: '18.01', submissionId: 's-1' };
    expect(reportKey(s)).toBe('reports/iid-2026/18.01/s-1.json');
    expect(canonicalKey(s)).toBe('reports/iid-2026/18.01/s-1.submission.json');
    expect(scoreCardKey(s)).toBe('scorecards/iid-2026/18.01/s-1.json');
  });
});
