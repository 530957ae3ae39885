import { describe, expect, it } from 'vitest';
import type { RegionCycleRecord } from '#adapters/dynamo/index';
import { findRegion } from '#domain/regions';
import { completenessRow } from '#functions/lib/submissions/views';

const region = findRegion('18.01');
const NOW = new Date('2026-03-01T01:00:00.000Z');
const withLatest = (status: string, updatedAt: string) =>
  ({
    cycleId: 'c',
    kode: '18.01',
    latest: { submissionId: 's-1', status, uploadedAt: '2026-03-01T00:00:00.000Z', updatedAt },
  }) as unknown as RegionCycleRecord;

describe('completeness shows a submission a crash left in flight honestly', () => {
  it('in progress for 16 minutes: stalled, since when, in both languages', () => {
    if (!region) throw new Error('18.01 unknown');
    const row = completenessRow(region, withLatest('VALIDATING', '2026-03-01T00:44:00.000Z'), NOW);
    expect(row.status).toBe('in-progress');
    expect(row.stalled).toEqual({
      since: '2026-03-01T00:44:00.000Z',
      id: expect.stringContaining('belum selesai diproses sejak 2026-03-01T00:44:00.000Z'),
      en: expect.stringContaining('has not finished processing since 2026-03-01T00:44:00.000Z'),
    });
  });

  it('not stalled within 15 minutes, nor once terminal', () => {
    if (!region) throw new Error('18.01 unknown');
    expect(
      completenessRow(region, withLatest('UPLOADED', '2026-03-01T00:46:00.000Z'), NOW).stalled,
    ).toBeUndefined();
    expect(
      completenessRow(region, withLatest('SCORED', '2026-03-01T00:00:00.000Z'), NOW).stalled,
    ).toBeUndefined();
    expect(completenessRow(region, undefined, NOW).stalled).toBeUndefined();
  });
});
