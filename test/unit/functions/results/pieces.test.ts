import { describe, expect, it } from 'vitest';
import { DomainError } from '#domain/errors';
import { getMethodology } from '#domain/methodology/registry';
import { rankingCsv } from '#functions/lib/results/export';
import { decodeCursor, encodeCursor } from '#functions/lib/results/rankings';
import { cardOf, componentsOf } from '#functions/lib/results/region';
import { bilingualList, displayOf } from '#functions/lib/results/views';
import { type RankingsQuery, rankingsQuerySchema, type TraceNode } from '#http/openapi-results';

const query = (q: Record<string, string> = {}): RankingsQuery => rankingsQuerySchema.parse(q);

describe('ranking cursor', () => {
  it('round-trips and is bound to the cluster, the filters and the run', () => {
    const q = query({ cluster: 'kota', province: '18' });
    const cursor = encodeCursor({ r: 'run-1', c: 'kota', f: '', o: 0 });
    // A cursor made for other filters is refused with a problem that says what to do.
    try {
      decodeCursor(cursor, q);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).kind).toBe('invalid');
      expect((error as DomainError).message_id).toContain('tanpa parameter cursor');
    }
  });

  it('refuses garbage, negative offsets and another run', () => {
    const q = query({ cluster: 'kota' });
    for (const text of [
      '',
      'x',
      Buffer.from('[1]').toString('base64url'),
      encodeCursor({ r: 'r', c: 'kota', f: 'f', o: -1 }),
    ])
      expect(() => decodeCursor(text, q), text).toThrow(DomainError);
    expect(() =>
      decodeCursor(encodeCursor({ r: 'r1', c: 'kota', f: 'x', o: 5 }), { ...q, run: 'r2' }),
    ).toThrow(DomainError);
  });
});

describe('trace documents', () => {
  it('finds the region card in the shapes a run may write', () => {
    const card = { region: '18.01', breakdown: { kind: 'aggregate' } };
    expect(cardOf(card, '18.01')).toEqual(card);
    expect(cardOf([{ region: '18.02' }, card], '18.01')).toEqual(card);
    expect(cardOf({ regions: [{ kode: '18.01', x: 1 }] }, '18.01')).toEqual({ kode: '18.01', x: 1 });
    expect(cardOf({ cards: { '18.01': { y: 2 } } }, '18.01')).toEqual({ y: 2 });
    // aggregate-run's layout: the card nested beside the submission it came from.
    expect(cardOf({ kode: '18.01', submissionId: 's-1', card: { rawTotal: 3 } }, '18.01')).toMatchObject({
      submissionId: 's-1',
      rawTotal: 3,
    });
    expect(cardOf(undefined, '18.01')).toBeUndefined();
    expect(cardOf('text', '18.01')).toBeUndefined();
  });

  it('turns the breakdown into chart rows: variables, then their dimensions, no indicators', () => {
    const leaf = (code: string): TraceNode => ({
      kind: 'indicator',
      code,
      name: { id: code, en: code },
      weight: 1,
      score: 1,
      max: 2,
      contribution: 1,
    });
    const root: TraceNode = {
      kind: 'aggregate',
      id: 'root',
      name: { id: 'IKKD', en: 'IKKD' },
      weight: 1,
      score: 50,
      max: 100,
      contribution: 50,
      children: [
        {
          kind: 'aggregate',
          id: 'v1',
          name: { id: 'Kinerja', en: 'Performance' },
          weight: 0.5,
          score: 30,
          max: 60,
          contribution: 15,
          children: [
            {
              kind: 'aggregate',
              id: 'd1',
              name: { id: 'Ekonomi', en: 'Economy' },
              weight: 1,
              score: null,
              max: 10,
              contribution: null,
              children: [leaf('i1')],
            },
            leaf('i2'),
          ],
        },
        leaf('i3'),
      ],
    };
    expect(componentsOf(root).map((c) => [c.id, c.depth, c.parent, c.percent])).toEqual([
      ['v1', 1, null, 50],
      ['d1', 2, 'v1', null],
    ]);
    expect(componentsOf(null)).toEqual([]);
  });
});

describe('views', () => {
  it('shows the stored display value, or the index with the methodology decimals', () => {
    const ipkd = getMethodology('ipkd-2020');
    expect(displayOf({ score: 81.23456 }, ipkd)).toBe('81.2346');
    expect(displayOf({ score: 47.045 }, getMethodology('iid-2023'))).toBe('47.05');
    expect(displayOf(Object.assign({ score: 1 }, { display: '1.0000' }), undefined)).toBe('1.0000');
    expect(displayOf({}, ipkd)).toBeNull();
  });

  it('reads bilingual reasons from the forms a run stores', () => {
    expect(bilingualList([{ id: 'a', en: 'b' }])).toEqual([{ id: 'a', en: 'b' }]);
    expect(bilingualList([{ message_id: 'x', message_en: 'y' }, 'z', 3])).toEqual([
      { id: 'x', en: 'y' },
      { id: 'z', en: 'z' },
    ]);
    expect(bilingualList('Pj')).toEqual([{ id: 'Pj', en: 'Pj' }]);
    expect(bilingualList(undefined)).toEqual([]);
  });
});

describe('CSV export', () => {
  it('quotes text, neutralises formula triggers, keeps numbers as numbers', () => {
    const rows = [
      {
        kode: '18.01',
        nama: 'Kabupaten "Uji", Lampung',
        provinsi: '18',
        provinsiNama: 'Lampung',
        rank: 1,
        index: 80.5,
        display: '80.50',
        predikat: 'Sangat Inovatif',
        eligible: true,
        reason: null,
        unranked: null,
        previousRank: 3,
        rankChange: 2,
        interval: { rank: 1, median: 2, p5: 1, p95: 4, tiedWith: 3 },
      },
      {
        kode: '18.02',
        nama: '-1+1',
        provinsi: '18',
        provinsiNama: null,
        rank: null,
        index: null,
        display: null,
        predikat: null,
        eligible: false,
        reason: '\t=1+1\r\n@x',
        unranked: 'ineligible',
        previousRank: null,
        rankChange: -4,
        interval: null,
      },
    ];
    const csv = rankingCsv(rows);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[1]).toBe(
      '1,"18.01","Kabupaten ""Uji"", Lampung","Lampung","80.50","Sangat Inovatif",3,2,"Ya / Yes",,2,1,4,3',
    );
    expect(lines[2]?.startsWith(`,"18.02","'-1+1","18",,,,-4,"Tidak / No","'\t=1+1`)).toBe(true);
  });
});
