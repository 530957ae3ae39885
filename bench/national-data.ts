import { REGIONS } from '../shared/domain/regions';
import { type Submission, submissionSchema } from '../shared/domain/submission';

/** Small seeded PRNG (mulberry32): the same seed always yields the same national data set. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPD = [
  '1',
  '2a',
  '2b',
  '3',
  '4',
  '5a',
  '5b',
  '6',
  '7',
  '8',
  '9',
  '10a',
  '10b',
  '11a',
  '11b',
  '12',
  '13a',
  '13b',
  '14',
  '15',
];
const SID = Array.from({ length: 20 }, (_, i) => String(16 + i));
const URUSAN = [
  'pendidikan',
  'kesehatan',
  'pupr',
  'perumahan',
  'trantibumlinmas',
  'sosial',
  'pariwisata',
  'perhubungan',
  'pertanian',
];

/** Innovation counts per region, skewed like the real data (most near 60, a few several hundred), summing to `total`. */
function innovationCounts(n: number, total: number, rand: () => number): number[] {
  const weights = Array.from({ length: n }, () => {
    const r = rand();
    return r < 0.04 ? 0 : r > 0.97 ? 4 + rand() * 4 : 0.3 + rand() * 1.4;
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((w / sum) * total));
  let rest = total - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % n) {
    if ((weights[i] ?? 0) > 0) {
      counts[i] = (counts[i] ?? 0) + 1;
      rest--;
    }
  }
  return counts;
}

/** A national IID data set: every region, `total` innovations in all, 20 indicators each. */
export function nationalIid(
  options: { methodology?: string; period?: number; total?: number; seed?: number } = {},
): Submission[] {
  const { methodology = 'iid-2023', period = 2023, total = 31_719, seed = 2024 } = options;
  const rand = prng(seed);
  const counts = innovationCounts(REGIONS.length, total, rand);
  const level = () => 1 + Math.floor(rand() * 3);
  return REGIONS.map((region, r) => {
    const quality = rand();
    const answer = (code: string) => ({
      level: rand() < quality ? 3 : level(),
      evidence: `${code}.pdf`,
      status: rand() < 0.05 ? 'rejected' : 'accepted',
    });
    const inovasi = Array.from({ length: counts[r] ?? 0 }, (_, j) => ({
      id: `${region.kode}-INV-${j + 1}`,
      urusan: URUSAN[Math.floor(rand() * URUSAN.length)],
      status: rand() < 0.08 ? 'rejected' : 'accepted',
      indicators: Object.fromEntries(SID.map((code) => [code, answer(code)])),
    }));
    return submissionSchema.parse({
      methodology,
      region: region.kode,
      period,
      indicators: Object.fromEntries(SPD.map((code) => [code, answer(code)])),
      groups: { inovasi },
    });
  });
}
