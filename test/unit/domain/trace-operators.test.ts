import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { score } from '#domain/engine/index';
import type { GroupTrace, IndicatorTrace } from '#domain/engine/trace';
import { submissionSchema } from '#domain/submission';
import { innovation, methodology, SPD_CODES } from '../../support/iid';

const iid2026 = methodology('iid-2026');
const BASIC = ['pendidikan', 'kesehatan', 'pupr', 'perumahan', 'trantibumlinmas', 'sosial'];

const sidOf = (card: ReturnType<typeof score>) =>
  card.breakdown.children.find((c): c is GroupTrace => c.kind === 'repeated-group');

describe('the trace speaks to operators (issue 12 §1)', () => {
  it('names the basic-service urusan covered and missing', () => {
    const raw = JSON.parse(
      readFileSync(
        new URL('../../../examples/iid-2026-lombok-barat-layanan-dasar-kurang.json', import.meta.url),
        'utf8',
      ),
    );
    const sid = sidOf(score(iid2026, submissionSchema.parse(raw)));
    const count = sid?.countScore;
    expect(count?.required).toBeGreaterThan(0);
    expect([...(count?.covered ?? []), ...(count?.missing ?? [])].sort()).toEqual([...BASIC].sort());
    expect(count?.missing.length).toBeGreaterThan(0);
    expect(count?.conditionMet).toBe(false);
  });

  it('lists, per innovation, the indicators rejected or adjusted at verification with the note', () => {
    const rejected = innovation('a', 2);
    rejected.indicators['16'] = { level: 3, status: 'rejected', note: 'Bukti tidak sah' } as never;
    rejected.indicators['17'] = { level: 1, note: 'Diturunkan dari level 3' } as never;
    const s = submissionSchema.parse({
      methodology: 'iid-2026',
      region: '52.01',
      period: 2026,
      profile: {},
      indicators: Object.fromEntries(SPD_CODES.map((c) => [c, { level: 2, evidence: 'e.pdf' }])),
      groups: { inovasi: [rejected, innovation('b', 2)] },
    });
    const sid = sidOf(score(iid2026, s));
    expect(sid?.items[0]?.review).toEqual([
      {
        code: '16',
        name: expect.objectContaining({ id: expect.any(String) }),
        outcome: 'rejected',
        note: 'Bukti tidak sah',
      },
      {
        code: '17',
        name: expect.objectContaining({ id: expect.any(String) }),
        outcome: 'adjusted',
        note: 'Diturunkan dari level 3',
      },
    ]);
    expect(sid?.items[1]?.review).toEqual([]);
  });

  it('explains every indicator in Bahasa Indonesia first, then English', () => {
    const s = submissionSchema.parse({
      methodology: 'iid-2026',
      region: '52.01',
      period: 2026,
      profile: {},
      indicators: { [SPD_CODES[0] ?? '1']: { level: 2, evidence: 'e.pdf' } },
      groups: {},
    });
    const card = score(iid2026, s);
    const leaves = card.breakdown.children.flatMap((c) =>
      c.kind === 'aggregate' ? c.children.filter((l): l is IndicatorTrace => l.kind === 'indicator') : [],
    );
    expect(leaves[0]?.explanation).toBe('level 2 bernilai 2 / level 2 is worth 2');
    expect(leaves[1]?.explanation).toBe('tidak diisi: 0 / no answer: 0');
  });
});
