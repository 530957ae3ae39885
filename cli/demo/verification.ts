import { setTimeout as sleep } from 'node:timers/promises';
import { findRegion } from '#domain/regions';
import { REASONS, type ReasonCode } from '#domain/verification/reasons';
import { mapLimit } from '#util/pool';
import { type ApiTarget, callApi } from '../api-client';
import {
  type DemoDecision,
  decisionSheet,
  mainReasons,
  planRegion,
  type RegionPlan,
} from './verification-plan';

/**
 * The verification part of the demo (issue 11), over HTTP after the national run, as the real
 * users would do it: the admin schedules the stage and assigns assessors from several provinces
 * (never a region of their own province); each assessor uploads one bulk decision sheet per
 * region of its queue; the admin adjudicates the double-verified disagreements; PROVISIONAL is
 * computed by the verification state machine; some operators object, another assessor upholds or
 * dismisses; FINAL re-ranks with rank notices; the admin publishes the final edition.
 */
export interface VerificationDemoOptions {
  seed?: number;
  /** Requests in flight at once (decision sheets, reads). */
  concurrency?: number;
  /** Share of the regions double-verified. */
  sampleRate?: number;
}

export interface VerificationDemoReport {
  regions: number;
  assessors: { id: string; province: string; regions: number }[];
  decisions: { answers: number; accept: number; adjust: number; reject: number; innovationsRejected: number };
  doubleVerified: number;
  agreement: { pairs: number; identical: number; identicalShare: number | null; kappa: number | null };
  adjudicated: number;
  means: { self: number; verified: number; final: number };
  drops: {
    kode: string;
    self: string;
    verified: string;
    reasons: { reason: string; effect: number; count: number }[];
  }[];
  objections: { filed: number; upheld: number; dismissed: number; regions: number };
  notices: { region: string; from: number | null; to: number | null; causedBy: string[] }[];
  edition: number;
  timings: {
    decisionsMs: number;
    sheets: number;
    provisionalMs: number;
    objectionsMs: number;
    finalMs: number;
  };
}

type Progress = (line: string) => void;

/** Assessors' home provinces: spread over the archipelago, so every region has several without a conflict. */
const ASSESSOR_PROVINCES = ['11', '31', '32', '33', '35', '51', '64', '73'];
/** Share of regions with changes whose operator objects. */
const OBJECTING_SHARE = 0.1;
const DAY = 86_400_000;

interface Answer {
  key: string;
  kind: string;
  level?: number;
}
interface Score {
  index: number;
  display: string;
}
interface RegionResult {
  kode: string;
  scores: { self?: Score; verified?: Score; final?: Score };
  changes: { answer: string; decision: string; reason?: string; effect: string }[];
  notices?: { region: string; from: number | null; to: number | null; causedBy: string[] }[];
}

export async function runVerificationDemo(
  api: ApiTarget,
  cycleId: string,
  options: VerificationDemoOptions,
  say: Progress,
): Promise<VerificationDemoReport> {
  const seed = options.seed ?? 2026;
  const limit = options.concurrency ?? 4;
  const token = async (role: string, claims: { region?: string; province?: string } = {}) => ({
    ...api,
    token: (await callApi<{ token: string }>(api, 'POST', '/_local/token', { body: { role, ...claims } }))
      .body.token,
  });
  const base = `/cycles/${cycleId}`;
  let admin = await token('admin');

  // 1. The stage's calendar, relative to the local clock (the national run has just been published).
  const now = Date.parse((await callApi<{ now: string }>(api, 'GET', '/_local/clock')).body.now);
  const at = (days: number) => new Date(now + days * DAY).toISOString();
  await callApi(admin, 'PUT', `${base}/verification`, {
    body: {
      verificationOpensAt: at(0.01),
      verificationClosesAt: at(1),
      sanggahOpensAt: at(2),
      sanggahClosesAt: at(3),
      respondBy: at(4),
      sampleRate: options.sampleRate ?? 0.1,
      seed: `demo-${seed}`,
    },
  });
  await moveTo(admin, base, 'VERIFICATION');

  // 2. Assessors from several provinces; the route assigns every submitted region, balanced, and
  // never to an assessor of the region's own province, and draws the double-verified sample.
  const assessorTokens = await Promise.all(
    ASSESSOR_PROVINCES.map(async (province) => ({ province, target: await token('assessor', { province }) })),
  );
  const assessors = assessorTokens.map((a) => ({ id: subOf(a.target), province: a.province }));
  const assigned = (
    await callApi<{ assignments: { region: string; primary: string; second?: string }[] }>(
      admin,
      'POST',
      `${base}/assignments`,
      { body: { assessors } },
    )
  ).body.assignments;
  const doubled = assigned.filter((a) => a.second).length;
  say(
    `verifikasi: ${assigned.length} wilayah/regions ditugaskan/assigned ke/to ${assessors.length} penilai/assessors, ${doubled} diverifikasi ganda/double-verified`,
  );

  // 3. Each assessor reads each region of its queue and uploads one decision sheet for it.
  const plans = new Map<string, RegionPlan>();
  const tasks = assigned.flatMap((a) => [
    { kode: a.region, slot: 'primary' as const, assessor: a.primary },
    ...(a.second ? [{ kode: a.region, slot: 'second' as const, assessor: a.second }] : []),
  ]);
  const targetOf = new Map(assessorTokens.map((a) => [subOf(a.target), a.target]));
  const tally = { answers: 0, accept: 0, adjust: 0, reject: 0, innovationsRejected: 0 };
  const decisionsStarted = performance.now();
  let sheets = 0;
  await mapLimit(tasks, limit, async (task) => {
    const assessor = targetOf.get(task.assessor) ?? admin;
    const answers = (
      await callApi<{ answers: Answer[] }>(assessor, 'GET', `${base}/regions/${task.kode}/answers`)
    ).body.answers;
    const plan = planRegion(seed, task.kode, answers);
    const decisions = plan[task.slot];
    if (task.slot === 'primary') {
      plans.set(task.kode, plan);
      for (const d of decisions) {
        tally.answers++;
        tally[d.decision]++;
        if (d.decision === 'reject' && answers.find((a) => a.key === d.answer)?.kind === 'item')
          tally.innovationsRejected++;
      }
    }
    await callApi(assessor, 'POST', `${base}/decisions`, {
      body: {
        sheet: {
          fileName: `keputusan-${task.kode}-${task.slot}.csv`,
          contentBase64: Buffer.from(decisionSheet(task.kode, decisions)).toString('base64'),
        },
      },
    });
    sheets++;
    if (sheets % 100 === 0 || sheets === tasks.length)
      say(`lembar keputusan/decision sheets ${sheets}/${tasks.length}`);
  });
  const decisionsMs = performance.now() - decisionsStarted;

  // 4. Agreement of the double-verified sample; the admin adjudicates every disagreement,
  // taking the primary's or the second's view (as the evidence would show).
  const agreementReport = (
    await callApi<{
      overall: VerificationDemoReport['agreement'];
      disagreements: { region: string; answer: string }[];
    }>(admin, 'GET', `${base}/agreement`)
  ).body;
  const byRegion = new Map<string, DemoDecision[]>();
  agreementReport.disagreements.forEach((d, i) => {
    const plan = plans.get(d.region);
    const chosen = (i % 2 === 0 ? plan?.primary : plan?.second)?.find((p) => p.answer === d.answer);
    if (chosen) byRegion.set(d.region, [...(byRegion.get(d.region) ?? []), chosen]);
  });
  await mapLimit([...byRegion], limit, async ([kode, decisions]) => {
    await callApi(admin, 'POST', `${base}/decisions`, { body: { kode, decisions } });
  });
  say(
    `kesepakatan/agreement: kappa ${fmt(agreementReport.overall.kappa, 3)}, identik/identical ${pct(agreementReport.overall.identicalShare)}; ${agreementReport.disagreements.length} perbedaan diputus admin/disagreements adjudicated`,
  );

  // 5. PROVISIONAL: the state machine computes the verified results, then moves the phase.
  const provisionalStarted = performance.now();
  await phaseRun(admin, base, 'PROVISIONAL');
  const provisionalMs = performance.now() - provisionalStarted;
  const kodes = assigned.map((a) => a.region).sort();
  const provisional = await readResults(admin, base, kodes, limit);
  say(`PROVISIONAL ${(provisionalMs / 1000).toFixed(1)} s`);

  // 6. Sanggah: the operators of some regions that lost most object to their largest changes.
  await callApi(admin, 'POST', '/_local/clock', { body: { advance: 'P2DT1H' } });
  admin = await token('admin'); // the clock moved past the old tokens' lifetime
  await moveTo(admin, base, 'SANGGAH');
  const changed = provisional.filter((r) => r.changes.length > 0);
  const objecting = [...changed]
    .sort((a, b) => drop(b) - drop(a) || a.kode.localeCompare(b.kode))
    .filter((_, i) => i % Math.round(1 / OBJECTING_SHARE) === 0);
  const objectionsStarted = performance.now();
  const filed: { kode: string; answer: string }[] = [];
  await mapLimit(objecting, limit, async (r) => {
    const operator = await token('operator', { region: r.kode });
    const largest = [...r.changes].sort((a, b) => Number(a.effect) - Number(b.effect)).slice(0, 3);
    for (const c of largest) {
      await callApi(operator, 'POST', `${base}/regions/${r.kode}/objections`, {
        body: { answer: c.answer, claim: 'Dokumen bukti ada dan sah; lihat lampiran yang diunggah ulang.' },
      });
      filed.push({ kode: r.kode, answer: c.answer });
    }
  });
  await moveTo(admin, base, 'RESOLUTION');
  // Resolved by an assessor who did not decide the region, from another province; about half upheld.
  const fresh = await Promise.all(
    assessors.map(async (a) => ({ ...a, target: await token('assessor', { province: a.province }) })),
  );
  let upheld = 0;
  filed.sort((a, b) => a.kode.localeCompare(b.kode) || a.answer.localeCompare(b.answer));
  await mapLimit(filed, limit, async (o, i) => {
    const a = assigned.find((x) => x.region === o.kode);
    const resolver = fresh.find(
      (x) => x.id !== a?.primary && x.id !== a?.second && x.province !== o.kode.slice(0, 2),
    );
    const uphold = i % 2 === 0;
    if (uphold) upheld++;
    await callApi(resolver?.target ?? admin, 'POST', `${base}/regions/${o.kode}/objections/resolutions`, {
      body: uphold
        ? { answer: o.answer, outcome: 'upheld', reason: 'Bukti baru sah dan sesuai periode.' }
        : { answer: o.answer, outcome: 'dismissed', reason: 'Bukti baru tidak mengubah penilaian.' },
    });
  });
  const objectionsMs = performance.now() - objectionsStarted;
  say(`sanggah/objections: ${filed.length} diajukan/filed, ${upheld} diterima/upheld`);

  // 7. FINAL: the re-rank with rank notices; then the final edition is published.
  const finalStarted = performance.now();
  await phaseRun(admin, base, 'FINAL');
  const finalMs = performance.now() - finalStarted;
  const final = await readResults(admin, base, kodes, limit);
  const edition = (await callApi<{ edition: number }>(admin, 'POST', `${base}/editions`, { body: {} })).body;
  say(`FINAL ${(finalMs / 1000).toFixed(1)} s; edisi/edition ${edition.edition}`);

  const mean = (rs: RegionResult[], which: 'self' | 'verified' | 'final') => {
    const xs = rs.map((r) => r.scores[which]?.index).filter((x): x is number => x !== undefined);
    return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  const notices = final.flatMap((r) => r.notices ?? []);
  const unique = new Map(notices.map((n) => [`${n.region}|${n.causedBy.join(',')}`, n]));
  return {
    regions: kodes.length,
    assessors: assessors.map((a) => ({
      ...a,
      regions: assigned.filter((x) => x.primary === a.id || x.second === a.id).length,
    })),
    decisions: tally,
    doubleVerified: doubled,
    agreement: agreementReport.overall,
    adjudicated: agreementReport.disagreements.length,
    means: {
      self: mean(provisional, 'self'),
      verified: mean(provisional, 'verified'),
      final: mean(final, 'final'),
    },
    drops: [...provisional]
      .sort((a, b) => drop(b) - drop(a) || a.kode.localeCompare(b.kode))
      .slice(0, 5)
      .map((r) => ({
        kode: r.kode,
        self: r.scores.self?.display ?? '-',
        verified: r.scores.verified?.display ?? '-',
        reasons: mainReasons(r.changes),
      })),
    objections: { filed: filed.length, upheld, dismissed: filed.length - upheld, regions: objecting.length },
    notices: [...unique.values()],
    edition: edition.edition,
    timings: { decisionsMs, sheets, provisionalMs, objectionsMs, finalMs },
  };
}

const drop = (r: RegionResult) => (r.scores.self?.index ?? 0) - (r.scores.verified?.index ?? 0);

const subOf = (target: ApiTarget): string =>
  JSON.parse(Buffer.from((target.token ?? '').split('.')[1] ?? '', 'base64url').toString('utf8')).sub;

/** A manual phase move; the stage's schedule may already have made it when the clock moved (then nothing to do). */
async function moveTo(admin: ApiTarget, base: string, to: 'VERIFICATION' | 'SANGGAH' | 'RESOLUTION') {
  const stage = (await callApi<{ phase: string | null }>(admin, 'GET', `${base}/verification`)).body;
  if (stage.phase !== to) await phase(admin, base, to);
}

async function phase(admin: ApiTarget, base: string, to: string) {
  return callApi<{ run?: { execution: string } }>(admin, 'POST', `${base}/verification/phase`, {
    body: { to },
  });
}

/** PROVISIONAL and FINAL answer 202: the state machine computes, then moves the phase; wait for that. */
async function phaseRun(admin: ApiTarget, base: string, to: 'PROVISIONAL' | 'FINAL') {
  const moved = await phase(admin, base, to);
  if (moved.status !== 202) throw new Error(`phase ${to} answered ${moved.status}`);
  const deadline = performance.now() + 600_000;
  for (;;) {
    const stage = (await callApi<{ phase: string }>(admin, 'GET', `${base}/verification`)).body;
    if (stage.phase === to) return;
    if (performance.now() > deadline) throw new Error(`timed out waiting for phase ${to}`);
    await sleep(500);
  }
}

async function readResults(admin: ApiTarget, base: string, kodes: readonly string[], limit: number) {
  return mapLimit(kodes, limit * 2, async (kode) => ({
    ...(await callApi<Omit<RegionResult, 'kode'>>(admin, 'GET', `${base}/regions/${kode}/verification`)).body,
    kode,
  }));
}

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
const fmt = (x: number | null, digits: number) => (x === null ? '-' : x.toFixed(digits));
const reasonText = (code: string) => REASONS[code as ReasonCode]?.id ?? code;

const nameOf = (kode: string) => findRegion(kode)?.nama ?? kode;
const move = (n: { from: number | null; to: number | null }) => Math.abs((n.to ?? 0) - (n.from ?? 0));

/** The verification figures, for the terminal. */
export function verificationLines(r: VerificationDemoReport): string[] {
  const d = r.decisions;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return [
    `  verifikasi / verification: ${r.regions} wilayah/regions (semua yang dinilai, skala penuh / every scored region, full scale), ${r.assessors.length} penilai/assessors (provinsi/provinces ${r.assessors.map((a) => `${a.province}:${a.regions}`).join(' ')})`,
    `    keputusan/decisions: ${d.answers} jawaban/answers — ${d.accept} diterima/accepted, ${d.adjust} disesuaikan/adjusted, ${d.reject} ditolak/rejected (${pct((d.adjust + d.reject) / Math.max(1, d.answers))} tidak diterima/not accepted); ${d.innovationsRejected} inovasi utuh ditolak/whole innovations rejected`,
    `    verifikasi ganda/double-verified ${r.doubleVerified} wilayah/regions: ${r.agreement.pairs} pasangan/pairs, identik/identical ${pct(r.agreement.identicalShare)}, kappa ${fmt(r.agreement.kappa, 3)}; ${r.adjudicated} perbedaan diputus admin/disagreements adjudicated`,
    `    rerata nasional / national mean: mandiri/self ${r.means.self.toFixed(2)} → terverifikasi/verified ${r.means.verified.toFixed(2)} → akhir/final ${r.means.final.toFixed(2)}`,
    '    5 penurunan terbesar / five largest drops:',
    ...r.drops.map(
      (x) =>
        `      ${x.kode.padEnd(6)} ${nameOf(x.kode)}: ${x.self} → ${x.verified}; ${x.reasons.map((m) => `${reasonText(m.reason)} (${m.count}×, ${m.effect.toFixed(2)})`).join('; ')}`,
    ),
    `    sanggah/objections: ${r.objections.filed} dari/from ${r.objections.regions} wilayah/regions — ${r.objections.upheld} diterima/upheld, ${r.objections.dismissed} ditolak/dismissed (oleh penilai lain/by another assessor)`,
    `    pergeseran peringkat karena sanggah / rank moves from upheld objections: ${r.notices.length} pemberitahuan/notices${r.notices.length > 0 ? '; mis./e.g.' : ''}`,
    ...[...r.notices]
      .sort((a, b) => move(b) - move(a) || a.region.localeCompare(b.region))
      .slice(0, 8)
      .map(
        (n) =>
          `      ${n.region.padEnd(6)} ${nameOf(n.region)}: peringkat/rank ${n.from ?? '-'} → ${n.to ?? '-'} (karena/caused by ${n.causedBy.slice(0, 3).join(', ')}${n.causedBy.length > 3 ? ` +${n.causedBy.length - 3}` : ''})`,
      ),
    `    edisi akhir / final edition ${r.edition} terbit/published`,
    `    waktu/timings: ${r.timings.sheets} lembar keputusan/decision sheets ${s(r.timings.decisionsMs)} (${(r.timings.decisionsMs / Math.max(1, r.timings.sheets)).toFixed(0)} ms/lembar/sheet, ${r.decisions.answers} jawaban/answers); PROVISIONAL ${s(r.timings.provisionalMs)}; sanggah diajukan+diputus/filed+resolved ${s(r.timings.objectionsMs)}; peringkat ulang/re-rank FINAL ${s(r.timings.finalMs)}`,
  ];
}
