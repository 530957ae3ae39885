import { indicatorLeaves, regionIndicatorCodes, repeatedGroupNode } from '#domain/methodology/leaves';
import { getMethodology } from '#domain/methodology/registry';
import { REGIONS, type Region } from '#domain/regions';
import { pick, prng, skewedCounts } from './random';

/**
 * Realistic, deterministic demo submissions for all 552 regions: most submit a valid file, some
 * never submit (Tidak Dapat Dinilai), some submit nothing evidence-based, some have innovations
 * rejected at verification, and a few upload files the validator rejects.
 */
export type DemoCase = 'valid' | 'missing' | 'no-evidence' | 'invalid';

export interface DemoUpload {
  region: Region;
  case: DemoCase;
  fileName: string;
  contentType: string;
  body: string;
  /** What the validator should say for an invalid file. */
  expect?: string;
  /** IKKD paper survey: the scan's evidence file name, uploaded before the data file (issue 14). */
  scan?: string;
}

const SPD_VALUES: Record<string, [number, number]> = {
  '3': [-60, 30],
  '4': [0, 8],
  '5a': [-0.5, 1],
  '5b': [1, 9],
  '6': [-50, 120],
  '7': [-10, 45],
  '10a': [-0.2, 2],
  '10b': [3, 20],
  '11a': [0.2, 1.3],
  '11b': [62, 84],
  '13a': [0, 12],
};
// Indicator codes come from the methodology, so the demo follows its hierarchy (iid-2023 and
// iid-2026 share the catalogue).
const IID = getMethodology('iid-2023');
const SPD = IID ? regionIndicatorCodes(IID) : [];
const SID_NODE = IID ? repeatedGroupNode(IID, 'inovasi') : undefined;
const SID = SID_NODE ? indicatorLeaves(SID_NODE).map((leaf) => leaf.indicator) : [];
const SID_VALUES: Record<string, [number, number]> = {
  '17': [1, 45],
  '20': [0, 4],
  '22': [2, 7],
  '24': [1, 7],
  '27': [0, 4],
  '28': [1, 9],
  '29': [30, 100],
  '32': [1, 14],
  '33': [0, 900],
  '35': [0, 5],
};
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
  'lingkungan-hidup',
];
const NAMES = [
  'Layanan Terpadu',
  'Sistem Informasi',
  'Gerakan',
  'Aplikasi',
  'Klinik',
  'Rumah',
  'Pojok',
  'Sekolah',
];
const THEMES = [
  'Desa Digital',
  'Sehat Bersama',
  'Jalan Mulus',
  'Sampah Bernilai',
  'Anak Sigap',
  'UMKM Naik Kelas',
  'Air Bersih',
  'Lapor Cepat',
];

export interface DemoOptions {
  methodology: 'iid-2023' | 'iid-2026' | 'ikkd-2020';
  period: number;
  seed?: number;
  /** Innovations in all (IID); the 2024 volume was 31,719. */
  innovations?: number;
  /** Every region submits a valid file (benchmarks) instead of the realistic mix. */
  allValid?: boolean;
  /** Only these provinces (and their kabupaten/kota): a small national run for tests. */
  provinces?: readonly string[];
  /**
   * IKKD: provinces whose regions (the province included) take the survey through the channel, so
   * their data files carry no paper survey. Default none; `npm run demo` takes `SURVEY_CHANNEL_PROVINCES`.
   */
  surveyChannel?: readonly string[];
}

/** The demo's survey-channel provinces: Lampung (15 kabupaten/kota and the province). */
export const SURVEY_CHANNEL_PROVINCES: readonly string[] = ['18'];

export function demoUploads(options: DemoOptions): DemoUpload[] {
  const rand = prng(options.seed ?? 2026);
  const counts = skewedCounts(REGIONS.length, options.innovations ?? 11_000, rand);
  return REGIONS.map((region, i) => {
    const roll = rand();
    const kind: DemoCase = options.allValid
      ? 'valid'
      : roll < 0.05
        ? 'missing'
        : roll < 0.08
          ? 'no-evidence'
          : roll < 0.1
            ? 'invalid'
            : 'valid';
    const quality = 0.15 + rand() * 0.8;
    const channel = (options.surveyChannel ?? []).includes(region.provinsi);
    const body =
      options.methodology === 'ikkd-2020'
        ? ikkdSubmission(region, options.period, quality, kind, rand, channel)
        : iidSubmission(region, options, counts[i] ?? 0, quality, kind, rand);
    const scan = 'survey' in body ? body.survey?.scan : undefined;
    const upload: DemoUpload = {
      region,
      case: kind,
      fileName: `${options.methodology}-${region.kode}.json`,
      contentType: 'application/json',
      body: JSON.stringify(body),
      ...(scan ? { scan } : {}),
    };
    return kind === 'invalid' ? breakFile(upload, rand) : upload;
  }).filter((u) => !options.provinces || options.provinces.includes(u.region.provinsi));
}

function iidSubmission(
  region: Region,
  options: DemoOptions,
  innovations: number,
  quality: number,
  kind: DemoCase,
  rand: () => number,
) {
  const evidence = kind !== 'no-evidence';
  const answer = (code: string, ranges: Record<string, [number, number]>, prefix: string) => {
    const range = ranges[code];
    const proof = evidence ? { evidence: `${prefix}-${code}.pdf` } : {};
    if (range) {
      const [lo, hi] = range;
      const v = lo + (hi - lo) * Math.min(1, Math.max(0, quality + (rand() - 0.5) * 0.6));
      return { value: Math.round(v * 100) / 100, ...proof };
    }
    const level = rand() < quality ? 3 : rand() < 0.5 ? 2 : 1;
    return { level, ...proof };
  };
  return {
    methodology: options.methodology,
    region: region.kode,
    period: options.period,
    indicators: Object.fromEntries(SPD.map((c) => [c, answer(c, SPD_VALUES, `${region.kode}-spd`)])),
    groups: {
      inovasi: Array.from(
        { length: kind === 'no-evidence' ? Math.min(innovations, 3) : innovations },
        (_, j) => {
          const id = `${region.kode}-INV-${String(j + 1).padStart(3, '0')}`;
          return {
            id,
            name: `${pick(rand, NAMES)} ${pick(rand, THEMES)}`,
            urusan: pick(rand, URUSAN),
            tahun: options.period - Math.floor(rand() * 4),
            // About 1 in 12 innovations fails verification: 0 points, still in the divisor.
            status: rand() < 0.08 ? 'rejected' : 'accepted',
            indicators: Object.fromEntries(SID.map((c) => [c, answer(c, SID_VALUES, id)])),
          };
        },
      ),
    },
  };
}

const ROLES = [
  'dprd',
  'forkopimda',
  'kepala-opd',
  'asn',
  'tokoh-masyarakat',
  'tokoh-agama',
  'akademisi',
  'pelaku-usaha',
  'media',
];
const SURVEY_ITEMS = [
  'KB1',
  'KB2',
  'KB3',
  'KB4',
  'KB5',
  'KP1',
  'KP2',
  'KP3',
  'KP4',
  'KS1',
  'KS2',
  'KS3',
  'KS4',
];

function ikkdSubmission(
  region: Region,
  period: number,
  quality: number,
  kind: DemoCase,
  rand: () => number,
  channel: boolean,
) {
  const evidence = (code: string) =>
    kind === 'no-evidence' ? {} : { evidence: `${region.kode}-ikkd-${code}.pdf` };
  const between = (lo: number, hi: number) =>
    Math.round((lo + (hi - lo) * Math.min(1, Math.max(0, quality + (rand() - 0.5) * 0.5))) * 100) / 100;
  const respondents = kind === 'no-evidence' ? 0 : 30 + Math.floor(rand() * 20);
  const head = rand();
  return {
    methodology: 'ikkd-2020',
    region: region.kode,
    period,
    profile: {
      statusKepalaDaerah: head < 0.08 ? 'pj' : head < 0.1 ? 'plt' : 'definitif',
      statusHukum: rand() < 0.01 ? 'tersangka' : 'none',
      sakip: pick(
        rand,
        quality > 0.6 ? ['A', 'BB', 'AA'] : quality > 0.3 ? ['B', 'BB', 'CC'] : ['C', 'CC', 'B'],
      ),
    },
    indicators: {
      '1.1.1': { value: between(-1, 8), ...evidence('1.1.1') },
      '1.1.2': { value: between(5, 40), ...evidence('1.1.2') },
      '1.1.3': { value: between(3, 60), ...evidence('1.1.3') },
      '1.1.4': { value: between(1.5, 3.8), ...evidence('1.1.4') },
      '1.1.5': { value: between(25, 4), ...evidence('1.1.5') },
      '1.1.6': { value: between(10, 2.5), ...evidence('1.1.6') },
      '1.1.7': { value: between(58, 82), ...evidence('1.1.7') },
      '1.1.8': { value: between(52, 88), ...evidence('1.1.8') },
      '1.1.9': { level: 1 + Math.floor(quality * 6.99), ...evidence('1.1.9') },
      '1.2.1': { value: Math.floor(between(0, 9)), ...evidence('1.2.1') },
      '1.2.2': { value: Math.floor(between(0, 3)), ...evidence('1.2.2') },
    },
    // Channel regions' respondents answer the form themselves; the others send a paper survey with its scan.
    survey: channel
      ? undefined
      : {
          ...(respondents > 0 ? { scan: `${region.kode}-survei-pindaian.pdf` } : {}),
          respondents: Array.from({ length: respondents }, (_, r) => ({
            id: `${region.kode}-R${String(r + 1).padStart(2, '0')}`,
            role: pick(rand, ROLES),
            answers: Object.fromEntries(
              SURVEY_ITEMS.map((item) => [
                item,
                Math.min(5, Math.max(1, Math.round(1 + quality * 4 + (rand() - 0.5) * 2))),
              ]),
            ),
          })),
        },
  };
}

/** The files operators get wrong, each rejected for a reason the validator names. */
function breakFile(upload: DemoUpload, rand: () => number): DemoUpload {
  const body = JSON.parse(upload.body) as Record<string, unknown>;
  switch (Math.floor(rand() * 4)) {
    case 0:
      body.region = upload.region.kode === '11.01' ? '11.02' : '11.01';
      return { ...upload, body: JSON.stringify(body), expect: 'REGION_MISMATCH' };
    case 1:
      (body.indicators as Record<string, unknown>)['1'] = { level: 5 };
      return { ...upload, body: JSON.stringify(body), expect: 'level outside the defined levels' };
    case 2:
      return {
        ...upload,
        body: upload.body.slice(0, Math.floor(upload.body.length / 2)),
        expect: 'JSON that does not parse',
      };
    default:
      return {
        ...upload,
        fileName: upload.fileName.replace('.json', '.csv'),
        contentType: 'text/csv',
        body: 'bagian;item;kode;nilai;bukti\nindikator;;1;=cmd|"/c calc"!A1;\nindikator;;4;lima;\n',
        expect: 'formula cell and a number that does not parse',
      };
  }
}
