import { describe, expect, it } from 'vitest';
import { score, scoreFast } from '#domain/engine/index';
import type { GroupTrace } from '#domain/engine/trace';
import { innovation, methodology, spdAtLevel, submission } from '../../support/iid';

const iid2023 = methodology('iid-2023');
const iid2026 = methodology('iid-2026');

describe('iid-2023 official formula', () => {
  it('scores the issue example by hand: SPD 7, SID 1.38, IID 3.352', () => {
    // SPD: 1 (w1) L3 = 3; 2a (w1) L2 = 2; 4 (w1) 5.1 -> band (2.04, 5.23) = L2 = 2; 8 rejected = 0 => 7
    // SID: INV-1: 16 (w3) L2 = 6 + 17 (w2) 25 -> band [11, 31) = L2 = 4 => 10; / MAX(10, 1) = 1.0
    //      count score 0.38 x 1 accepted = 0.38 => SID 1.38; IID = 8.38 / 250 x 100 = 3.352
    const card = score(
      iid2023,
      submission({
        methodology: 'iid-2023',
        region: '18.01',
        period: 2023,
        indicators: {
          '1': 3,
          '2a': { level: 2, evidence: 'apbd.pdf' },
          '4': { value: 5.1 },
          '8': { level: 3, status: 'rejected' },
        },
        groups: {
          inovasi: [{ id: 'INV-1', urusan: 'kesehatan', indicators: { '16': 2, '17': { value: 25 } } }],
        },
      }),
    );
    expect(card.index).toBeCloseTo(3.352, 12);
    expect(card.display).toBe('3.35');
    expect(card.predikat).toBe('Kurang Inovatif');
    expect(card.rawTotal).toBeCloseTo(8.38, 12);
    expect(card.rawMax).toBe(250);
    const [spd, sid] = card.breakdown.children;
    expect(spd?.score).toBe(7);
    expect(sid?.score).toBeCloseTo(1.38, 12);
    expect(card.methodology.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('keeps rejected innovations in the divisor and out of the count score', () => {
    // 12 innovations, all at L3 (111 each), 4 of them rejected:
    // SID = 8 x 111 / MAX(10, 12) + 0.38 x 8 = 74 + 3.04 = 77.04; SPD = 0 (nothing answered)
    // IID = 77.04 / 250 x 100 = 30.816
    const items = Array.from({ length: 12 }, (_, i) =>
      innovation(`INV-${i + 1}`, 3, i < 4 ? { status: 'rejected' } : {}),
    );
    const card = score(
      iid2023,
      submission({ methodology: 'iid-2023', region: '18.01', period: 2023, groups: { inovasi: items } }),
    );
    const sid = card.breakdown.children[1] as GroupTrace;
    expect(sid.reported).toBe(12);
    expect(sid.accepted).toBe(8);
    expect(sid.divisor).toBe(12);
    expect(sid.itemsTotal).toBe(888);
    expect(sid.countScore?.points).toBeCloseTo(3.04, 12);
    expect(card.index).toBeCloseTo(30.816, 10);
  });

  it('divides by 10 when fewer than 10 innovations were reported', () => {
    // 3 innovations at L3: 333 / 10 + 0.38 x 3 = 33.3 + 1.14 = 34.44; SPD all L3 = 63
    // IID = 97.44 / 250 x 100 = 38.976 -> "38.98", Inovatif
    const card = score(
      iid2023,
      submission({
        methodology: 'iid-2023',
        region: '18.01',
        period: 2023,
        indicators: spdAtLevel(3),
        groups: { inovasi: [innovation('A', 3), innovation('B', 3), innovation('C', 3)] },
      }),
    );
    expect(card.index).toBeCloseTo(38.976, 10);
    expect(card.display).toBe('38.98');
    expect(card.predikat).toBe('Inovatif');
  });

  it('reaches exactly 100 at the maximum: 63 + 111 + 76 = 250', () => {
    const items = Array.from({ length: 200 }, (_, i) => innovation(`I${i}`, 3));
    const card = scoreFast(
      iid2023,
      submission({
        methodology: 'iid-2023',
        region: '35.10',
        period: 2023,
        indicators: spdAtLevel(3),
        groups: { inovasi: items },
      }),
    );
    expect(card.index).toBeCloseTo(100, 10);
    expect(card.predikat).toBe('Sangat Inovatif');
  });

  it('caps the count score at 200 accepted innovations', () => {
    const items = Array.from({ length: 250 }, (_, i) => innovation(`I${i}`, 1));
    const card = score(
      iid2023,
      submission({ methodology: 'iid-2023', region: '35.10', period: 2023, groups: { inovasi: items } }),
    );
    const sid = card.breakdown.children[1] as GroupTrace;
    // 250 x 37 / 250 + 0.38 x 200 = 37 + 76 = 113
    expect(sid.score).toBeCloseTo(113, 10);
  });

  it('gives Tidak Dapat Dinilai and index 0 when nothing evidence-based was submitted', () => {
    const card = score(
      iid2023,
      submission({ methodology: 'iid-2023', region: '75.03', period: 2023, indicators: { '1': 3, '12': 2 } }),
    );
    expect(card.assessable).toBe(false);
    expect(card.index).toBe(0);
    expect(card.display).toBe('0.00');
    expect(card.predikat).toBe('Tidak Dapat Dinilai');
    expect(card.warnings.map((w) => w.code)).toContain('NOT_ASSESSABLE');
  });

  it('lists missing mandatory indicators as warnings with their code', () => {
    const card = score(
      iid2023,
      submission({
        methodology: 'iid-2023',
        region: '18.01',
        period: 2023,
        indicators: { '2a': { level: 1, evidence: 'a.pdf' } },
      }),
    );
    const missing = card.warnings
      .filter((w) => w.code === 'MANDATORY_MISSING')
      .map((w) => w.location.indicator);
    expect(missing).toContain('1');
    expect(missing).toContain('8');
    expect(missing).not.toContain('2a');
    expect(missing).not.toContain('12');
  });

  it('scores a level outside the defined levels as 0 with a warning', () => {
    const card = score(
      iid2023,
      submission({
        methodology: 'iid-2023',
        region: '18.01',
        period: 2023,
        indicators: { '1': { level: 4, evidence: 'x.pdf' }, '2a': { level: 1, evidence: 'a.pdf' } },
      }),
    );
    expect(card.rawTotal).toBe(1);
    expect(card.warnings.find((w) => w.code === 'LEVEL_INVALID')?.location.indicator).toBe('1');
  });
});

describe('numeric bands on the stated side of each boundary', () => {
  const spdValue = (code: string, value: number) =>
    score(
      iid2023,
      submission({
        methodology: 'iid-2023',
        region: '18.01',
        period: 2023,
        indicators: { [code]: { value, evidence: 'e.pdf' } },
      }),
    );
  const levelOf = (code: string, value: number) => {
    const spd = spdValue(code, value).breakdown.children[0];
    if (spd?.kind !== 'aggregate') throw new Error('SPD is an aggregate');
    const leaf = spd.children.find((c) => c.kind === 'indicator' && c.code === code);
    return leaf?.kind === 'indicator' ? leaf.level : undefined;
  };
  it.each([
    ['4', 2.04, 1],
    ['4', 2.045, 2],
    ['4', 2.05, 2],
    ['4', 5.229, 2],
    ['4', 5.23, 3],
    ['5b', 2.35, 3],
    ['5b', 2.36, 2],
    ['5b', 5.91, 1],
    ['5b', 5.905, 2],
    ['3', -50.33, 1],
    ['3', -50.32, 1],
    ['3', 8.16, 2],
    ['3', 8.17, 3],
    ['10b', 13.1, 1],
    ['10b', 4.82, 3],
  ])('indicator %s value %d is level %d', (code, value, level) => {
    expect(levelOf(code, value)).toBe(level);
  });
});

describe('iid-2026', () => {
  const basic = ['pendidikan', 'kesehatan', 'pupr', 'perumahan', 'trantibumlinmas', 'sosial'];
  const run = (urusan: string[], rejectedUrusan: string[] = []) =>
    score(
      iid2026,
      submission({
        methodology: 'iid-2026',
        region: '18.01',
        period: 2026,
        groups: {
          inovasi: [
            ...urusan.map((u, i) => innovation(`A${i}`, 1, { urusan: u })),
            ...rejectedUrusan.map((u, i) => innovation(`R${i}`, 1, { urusan: u, status: 'rejected' })),
          ],
        },
      }),
    ).breakdown.children[1] as GroupTrace;

  it('divides by MAX(12, n)', () => {
    const sid = run(basic.slice(0, 5));
    expect(sid.divisor).toBe(12);
    // 5 x 37 / 12 + 0.38 x 5
    expect(sid.score).toBeCloseTo((5 * 37) / 12 + 1.9, 10);
  });

  it('pays the count score only when 5 of the 6 basic services are covered by accepted innovations', () => {
    expect(run(basic.slice(0, 4)).countScore?.points).toBe(0);
    expect(run([...basic.slice(0, 4), 'pariwisata', 'pariwisata']).countScore?.conditionMet).toBe(false);
    expect(run(basic.slice(0, 4), ['pupr', 'sosial']).countScore?.points).toBe(0);
    const met = run(basic.slice(0, 5));
    expect(met.countScore?.conditionMet).toBe(true);
    expect(met.countScore?.covered).toEqual([
      'kesehatan',
      'pendidikan',
      'perumahan',
      'pupr',
      'trantibumlinmas',
    ]);
  });

  it('moves the predikat cut-offs to 40.01 and 65.01', () => {
    const at = (display: number) =>
      iid2026.predikat.bands.find((b) => display >= b.min && display <= b.max)?.label;
    expect(at(40.0)).toBe('Kurang Inovatif');
    expect(at(40.01)).toBe('Inovatif');
    expect(at(65.0)).toBe('Inovatif');
    expect(at(65.01)).toBe('Sangat Inovatif');
  });
});

describe('the derivation trace of repeated groups', () => {
  it('keeps one row per innovation aligned to the columns, and explains one innovation on demand', async () => {
    const { compile } = await import('#domain/engine/index');
    const { traceGroupItem } = await import('#domain/engine/trace');
    const s = submission({
      methodology: 'iid-2023',
      region: '18.01',
      period: 2023,
      groups: {
        inovasi: [
          {
            id: 'A',
            urusan: 'kesehatan',
            indicators: {
              '16': { level: 3, evidence: 'a.pdf' },
              '17': { value: 12, evidence: 'b.pdf' },
              '18': { level: 2, status: 'rejected' },
            },
          },
          { id: 'B', urusan: 'pupr', status: 'rejected', indicators: { '16': 3 } },
        ],
      },
    });
    const card = score(iid2023, s);
    const sid = card.breakdown.children[1] as GroupTrace;
    expect(sid.columns.map((c) => c.code)).toEqual(Array.from({ length: 20 }, (_, i) => String(16 + i)));
    const [a, b] = sid.items;
    // 16: w3 x L3 = 9; 17: 12 persons -> band [11, 31) = L2, w2 x 2 = 4; 18 rejected = 0 => 13
    expect(a?.score).toBe(13);
    expect(a?.levels.slice(0, 3)).toEqual([3, 2, null]);
    expect(a?.statuses.slice(0, 3)).toEqual(['scored', 'scored', 'rejected']);
    expect(a?.rawValues[1]).toBe(12);
    const points = (a?.values ?? []).reduce((sum, v, i) => sum + (sid.columns[i]?.weight ?? 0) * v, 0);
    expect(points).toBe(a?.score);
    expect(b).toMatchObject({ status: 'rejected', score: 0, values: [] });
    // (13 + 0) / MAX(10, 2) + 0.38 x 1 accepted
    expect(sid.score).toBeCloseTo(1.3 + 0.38, 12);

    const c = compile(iid2023);
    const root = iid2023.root.children[1];
    if (root?.kind !== 'repeated-group' || !s.groups.inovasi?.[0])
      throw new Error('SID is the repeated group');
    const detail = traceGroupItem(c, root, s.groups.inovasi[0], s);
    expect(detail.score).toBe(13);
    const leaf17 = detail.children[1];
    // Bahasa Indonesia first, English second.
    expect(leaf17?.kind === 'indicator' && leaf17.explanation).toBe(
      'nilai 12 masuk level 2; level 2 bernilai 2 / value 12 falls in level 2; level 2 is worth 2',
    );
  });
});
