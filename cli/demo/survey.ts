import { setTimeout as sleep } from 'node:timers/promises';
import { REGIONS } from '#domain/regions';
import { mapLimit } from '#util/pool';
import { type ApiTarget, callApi } from '../api-client';
import { uploadFile } from '../commands/upload';
import type { DemoUpload } from './generate';
import { prng } from './random';

/**
 * The IKKD part of the demo (issue 14), over HTTP as the real users would do it. Regions of the
 * survey-channel provinces: the operator enters a respondent list meeting the methodology's quotas
 * and issues invitations; simulated respondents open the public form with their codes and answer
 * (some never do, a few try their code a second time and are refused). Every other region keeps a
 * paper survey, whose scan is uploaded as evidence before its data file (refused without it). At
 * the window's close the national run scores the channel regions' answers as their survey.
 */
export interface SurveyDemoReport {
  regions: number;
  invited: number;
  answered: number;
  neverAnswered: number;
  rate: number;
  categories: { category: string; invited: number; answered: number; rate: number }[];
  secondUses: { tried: number; refused: number };
  /** Channel regions whose every survey dimension reached the methodology's minimum of answers. */
  reached: number;
  /** Region details of the published run: how many show the channel and how many a paper survey. */
  published: { channel: number; paper: number; none: number };
  paperScans: number;
  sample?: { kode: string; nama: string; dimensions: string };
}

type As = (role: string, region?: string) => Promise<ApiTarget>;
type Progress = (line: string) => void;

/** Per category: the quota's minimum plus up to `extra` more, so lists vary but always qualify. */
const LIST_SIZES: Record<string, [min: number, extra: number]> = {
  'kepala-opd': [8, 5],
  dprd: [5, 4],
  forkopimda: [2, 2],
  asn: [2, 5],
  'tokoh-masyarakat': [5, 4],
  'tokoh-agama': [2, 2],
  akademisi: [2, 2],
  'pelaku-usaha': [2, 2],
  media: [1, 2],
};
const ITEMS = ['KB1', 'KB2', 'KB3', 'KB4', 'KB5', 'KP1', 'KP2', 'KP3', 'KP4', 'KS1', 'KS2', 'KS3', 'KS4'];
/** A minimal PDF standing in for the scanned forms. */
const SCAN_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

interface Invitation {
  kode: string;
  code: string;
  category: string;
}

/** Everything before the uploads' data files: the channel (lists, codes, answers) and the paper scans. */
export async function runSurveyDemo(
  api: ApiTarget,
  as: As,
  cycleId: string,
  uploads: readonly DemoUpload[],
  channelProvinces: readonly string[],
  say: Progress,
  seed = 2026,
) {
  const rand = prng(seed + 14);
  const admin = await as('admin');
  // Every simulated respondent answers from this one machine: the cycle's per-client limit is
  // raised (an admin's setting, with its reason); the default stays strict for everyone else.
  await callApi(admin, 'PUT', `/cycles/${cycleId}/survey/settings`, {
    body: {
      clientLimitPerMinute: 100_000,
      reason: 'demo: semua responden simulasi dari satu mesin / every simulated respondent from one machine',
    },
  });

  const regions = REGIONS.filter((r) => channelProvinces.includes(r.provinsi));
  const invitations: Invitation[] = [];
  await mapLimit(regions, 4, async (region) => {
    const operator = await as('operator', region.kode);
    const respondents = Object.entries(LIST_SIZES).flatMap(([category, [min, extra]]) =>
      Array.from({ length: min + Math.floor(rand() * (extra + 1)) }, (_, i) => ({
        name: `${category} ${i + 1} ${region.kode}`,
        position: `Jabatan ${i + 1}`,
        category,
        contact: `r${i + 1}.${category}@${region.kode.replace('.', '-')}.contoh.go.id`,
      })),
    );
    const path = `/cycles/${cycleId}/regions/${region.kode}/survey`;
    await callApi(operator, 'PUT', `${path}/respondents`, { body: { respondents } });
    const issued = await callApi<{ invitations: { code: string; category: string }[] }>(
      operator,
      'POST',
      `${path}/invitations`,
    );
    for (const i of issued.body.invitations)
      invitations.push({ kode: region.kode, code: i.code, category: i.category });
  });
  say(`survei: ${invitations.length} undangan/invitations untuk/for ${regions.length} wilayah/regions`);

  // Each region answers at its own rate; each respondent leans to the region's level.
  const regionRate = new Map(regions.map((r) => [r.kode, 0.6 + rand() * 0.38]));
  const regionLevel = new Map(regions.map((r) => [r.kode, 1.5 + rand() * 3]));
  const plan = invitations.map((inv) => ({
    inv,
    answers: rand() < (regionRate.get(inv.kode) ?? 0.8),
    twice: rand() < 0.03,
    level: regionLevel.get(inv.kode) ?? 3,
    jitter: Array.from(ITEMS, () => rand()),
  }));
  let answered = 0;
  const secondUses = { tried: 0, refused: 0 };
  await mapLimit(plan, 16, async (p) => {
    if (!p.answers) return;
    const form = await fetch(`${api.baseUrl}/survey/forms/${p.inv.code}`);
    if (form.status !== 200) throw new Error(`form for a fresh code answered ${form.status}`);
    await form.arrayBuffer();
    const answers = Object.fromEntries(
      ITEMS.map((item, i) => [
        item,
        Math.min(5, Math.max(1, Math.round(p.level + ((p.jitter[i] ?? 0.5) - 0.5) * 2))),
      ]),
    );
    const post = () =>
      fetch(`${api.baseUrl}/survey/forms/${p.inv.code}/answers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ answers }),
      });
    const first = await post();
    await first.arrayBuffer();
    if (first.status !== 201) throw new Error(`answer refused (${first.status})`);
    answered++;
    if (answered % 100 === 0) say(`survei: ${answered} jawaban/answers`);
    if (!p.twice) return;
    secondUses.tried++;
    const second = await post();
    await second.arrayBuffer();
    if (second.status === 404) secondUses.refused++;
  });
  say(
    `survei: ${answered}/${invitations.length} menjawab/answered; pemakaian kedua/second uses ${secondUses.refused}/${secondUses.tried} ditolak/refused`,
  );

  // Paper surveys elsewhere: the scan first, recorded as evidence before the data file is validated.
  const papers = uploads.filter((u) => u.scan);
  await mapLimit(papers, 8, async (u) => {
    await uploadFile(await as('operator', u.region.kode), {
      cycleId,
      region: u.region.kode,
      kind: 'evidence',
      fileName: u.scan ?? 'survei-pindaian.pdf',
      contentType: 'application/pdf',
      bytes: SCAN_PDF,
    });
  });
  await waitForScans(admin, cycleId, papers, say);

  return {
    /** After the national run is published: rates, dimensions reached, how the result shows each survey. */
    afterRun: async (leadership: ApiTarget): Promise<SurveyDemoReport> => {
      const rates = await Promise.all(
        channelProvinces.map(
          async (p) =>
            (
              await callApi<{
                invited: number;
                answered: number;
                categories: { category: string; invited: number; answered: number }[];
              }>(leadership, 'GET', `/cycles/${cycleId}/provinces/${p}/survey/rates`)
            ).body,
        ),
      );
      const byCategory = new Map<string, { invited: number; answered: number }>();
      for (const r of rates)
        for (const c of r.categories) {
          const sum = byCategory.get(c.category) ?? { invited: 0, answered: 0 };
          byCategory.set(c.category, {
            invited: sum.invited + c.invited,
            answered: sum.answered + c.answered,
          });
        }
      const invited = rates.reduce((a, r) => a + r.invited, 0);
      const answeredTotal = rates.reduce((a, r) => a + r.answered, 0);
      let reached = 0;
      let sample: SurveyDemoReport['sample'];
      for (const region of regions) {
        const scores = (
          await callApi<{ reached: boolean; dimensions: { code: string; score: number | null }[] }>(
            leadership,
            'GET',
            `/cycles/${cycleId}/regions/${region.kode}/survey/scores`,
          )
        ).body;
        if (!scores.reached) continue;
        reached++;
        sample ??= {
          kode: region.kode,
          nama: region.nama,
          dimensions: scores.dimensions.map((d) => `${d.code} ${d.score?.toFixed(2)}`).join(', '),
        };
      }
      const published = { channel: 0, paper: 0, none: 0 };
      const sampled = [...regions, ...uploads.slice(0, 20).map((u) => u.region)];
      await mapLimit(sampled, 8, async (region) => {
        const detail = await fetch(`${api.baseUrl}/cycles/${cycleId}/regions/${region.kode}`, {
          headers: { authorization: `Bearer ${leadership.token}` },
        });
        const body = (await detail.json()) as { survey?: { source: 'paper' | 'channel' } | null };
        published[detail.ok && body.survey ? body.survey.source : 'none']++;
      });
      return {
        regions: regions.length,
        invited,
        answered: answeredTotal,
        neverAnswered: invited - answeredTotal,
        rate: invited === 0 ? 0 : answeredTotal / invited,
        categories: [...byCategory].map(([category, c]) => ({
          category,
          ...c,
          rate: c.invited === 0 ? 0 : c.answered / c.invited,
        })),
        secondUses,
        reached,
        published,
        paperScans: papers.length,
        ...(sample ? { sample } : {}),
      };
    },
  };
}

async function waitForScans(
  admin: ApiTarget,
  cycleId: string,
  papers: readonly DemoUpload[],
  say: Progress,
): Promise<void> {
  let pending = [...papers];
  const deadline = performance.now() + 300_000;
  while (pending.length > 0) {
    const still: DemoUpload[] = [];
    await mapLimit(pending, 8, async (u) => {
      const { body } = await callApi<{ evidence?: { fileName: string }[] }>(
        admin,
        'GET',
        `/cycles/${cycleId}/regions/${u.region.kode}/submissions?limit=1`,
      );
      if (!body.evidence?.some((e) => e.fileName === u.scan)) still.push(u);
    });
    say(`pindaian survei kertas / paper survey scans ${papers.length - still.length}/${papers.length}`);
    pending = still;
    if (pending.length === 0) return;
    if (performance.now() > deadline) throw new Error('timed out waiting for the paper survey scans');
    await sleep(1000);
  }
}

/** The demo's survey figures, for the terminal. */
export function surveyLines(r: SurveyDemoReport): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    `  survei kanal / survey channel: ${r.regions} wilayah/regions, ${r.invited} diundang/invited, ${r.answered} menjawab/answered (${pct(r.rate)}), ${r.neverAnswered} tidak pernah menjawab/never answered`,
    `    per kategori / per category: ${r.categories.map((c) => `${c.category} ${c.answered}/${c.invited} (${pct(c.rate)})`).join('; ')}`,
    `    pemakaian kode kedua ditolak / second uses of a code refused: ${r.secondUses.refused}/${r.secondUses.tried}`,
    `    dimensi survei tercapai (≥ minimum responden) / survey dimensions reached: ${r.reached}/${r.regions} wilayah/regions${r.sample ? `; mis./e.g. ${r.sample.kode} ${r.sample.nama}: ${r.sample.dimensions}` : ''}`,
    `    hasil terbit / published results: ${r.published.channel} survei daring/channel, ${r.published.paper} survei kertas/paper (${r.paperScans} pindaian/scans diunggah/uploaded), ${r.published.none} tanpa survei/none`,
  ];
}
