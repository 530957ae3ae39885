import { parseUploadKey } from '#adapters/bucket-layout';
import type { Repositories } from '#adapters/dynamo/index';
import { formatWib } from '#domain/cycle';
import { type Problem, problem } from '#domain/problems';
import {
  catalogueMap,
  fileObjection,
  finalRefusal,
  mayVerify,
  overdueObjections,
  resolveObjection,
  sanggahRefusal,
} from '#domain/verification/index';
import { type Caller, hasRole } from '#http/auth';
import { conflict, forbidden, notFound } from '#http/errors';
import { ledgerActor } from '#http/ledger-actor';
import type { UploadWindow } from '../submissions/window';
import { refusal } from './access';
import { assertPhase, regionDecisions } from './decisions';
import { stageOf, type VerificationDeps } from './deps';
import { recordObjection } from './ledger';

/**
 * The region's own operator objects to one decision on its answers, during the sanggah window
 * (outside it: 409 with the dates in WIB); one objection per answer.
 */
export async function fileRegionObjection(
  deps: VerificationDeps,
  caller: Caller,
  cycleId: string,
  kode: string,
  input: { answer: string; claim: string; evidence: string[] },
) {
  if (!(caller.roles.has('operator') && caller.region === kode))
    throw forbidden(
      'Sanggah diajukan oleh operator wilayah itu sendiri.',
      "An objection is filed by the region's own operator.",
    );
  const evidence = objectionEvidenceProblems(cycleId, kode, input.evidence);
  if (evidence.length > 0) throw refusal(evidence, 'OBJECTION_EVIDENCE_INVALID', 'invalid');
  const stage = await stageOf(deps, cycleId);
  assertPhase(stage, ['PROVISIONAL', 'SANGGAH', 'RESOLUTION'], { id: 'Sanggah', en: 'An objection' });
  const [r, existing] = await Promise.all([
    regionDecisions(deps, cycleId, kode),
    deps.repos.verification.listObjectionsOfRegion(cycleId, kode),
  ]);
  const out = fileObjection({
    id: `${kode}:${input.answer}`,
    region: kode,
    ref: catalogueMap(r.catalogue).get(input.answer),
    answer: input.answer,
    claim: input.claim,
    evidence: input.evidence,
    filedBy: caller.subject,
    now: deps.now(),
    window: {
      opensAt: stage.calendar.sanggahOpensAt,
      closesAt: stage.calendar.sanggahClosesAt,
      respondBy: stage.calendar.respondBy,
    },
    decision: r.counted.counting.get(input.answer),
    existing,
  });
  if (!out.ok)
    throw refusal(
      out.problems,
      'OBJECTION_REFUSED',
      (out.problems[0]?.code ?? '').startsWith('SANGGAH_') ? 'conflict' : 'invalid',
    );
  const { created } = await deps.repos.verification.fileObjection({ ...out.value, cycleId });
  if (!created)
    throw conflict(
      'OBJECTION_EXISTS',
      'Sanggah untuk jawaban ini sudah diajukan.',
      'An objection to this answer was already filed.',
    );
  await recordObjection(deps.ledger, ledgerActor(caller, 'operator'), cycleId, out.value);
  return out.value;
}

/**
 * An assessor other than the one who decided (and not of the region's province), or an admin,
 * resolves an objection once: upheld (the decision changes) or dismissed, with a reason.
 */
export async function resolveRegionObjection(
  deps: VerificationDeps,
  caller: Caller,
  cycleId: string,
  kode: string,
  input: {
    answer: string;
    outcome: 'upheld' | 'dismissed';
    reason: string;
    decision?: { decision: 'accept' | 'adjust' | 'reject'; level?: number; value?: number };
  },
) {
  if (
    caller.roles.has('assessor') &&
    !hasRole(caller, 'admin') &&
    (!caller.province || !mayVerify({ province: caller.province }, kode))
  )
    throw forbidden(
      `Konflik kepentingan: penilai dari provinsi ${caller.province ?? '?'} tidak boleh memutus sanggah wilayah ${kode}.`,
      `Conflict of interest: an assessor from province ${caller.province ?? '?'} may not resolve objections of region ${kode}.`,
    );
  const stage = await stageOf(deps, cycleId);
  assertPhase(stage, ['SANGGAH', 'RESOLUTION'], { id: 'Putusan sanggah', en: 'Resolving an objection' });
  const objection = (await deps.repos.verification.listObjectionsOfRegion(cycleId, kode)).find(
    (o) => o.answer === input.answer,
  );
  if (!objection) throw notFound(`Sanggah jawaban ${input.answer}`, `Objection to answer ${input.answer}`);
  const out = resolveObjection(objection, {
    by: caller.subject,
    now: deps.now(),
    outcome: input.outcome,
    reason: input.reason,
    ...(input.decision ? { decision: input.decision } : {}),
  });
  if (!out.ok) throw refusal(out.problems, 'RESOLUTION_REFUSED', 'conflict');
  if (!(await deps.repos.verification.resolveObjection({ ...out.value, cycleId })))
    throw conflict(
      'OBJECTION_RESOLVED',
      'Sanggah ini sudah diputuskan.',
      'This objection is already resolved.',
    );
  await recordObjection(deps.ledger, ledgerActor(caller, 'assessor', 'admin'), cycleId, out.value);
  return out.value;
}

/** Every objection of the cycle; those open past the response deadline are flagged `overdue`. */
export async function cycleObjections(deps: VerificationDeps, cycleId: string) {
  const items = await deps.repos.verification.listObjectionsOfCycle(cycleId);
  const overdue = new Set(overdueObjections(items, deps.now()).map((o) => `${o.region}|${o.answer}`));
  return {
    items: items.map((o) => ({ ...o, overdue: overdue.has(`${o.region}|${o.answer}`) })),
    overdue: overdue.size,
  };
}

/**
 * The window an `objection` upload is granted in: the sanggah window of the cycle's stage (outside
 * it: 409 with the dates in WIB). The grant never outlives the window's close.
 */
export async function admitObjectionUpload(
  deps: { repos: Pick<Repositories, 'verification'> },
  cycleId: string,
  now: Date,
): Promise<{ window: UploadWindow; endsAt: number }> {
  const stage = await stageOf(deps, cycleId);
  if (stage.phase === 'FINAL') throw refusal([finalRefusal()], 'CYCLE_FINAL', 'conflict');
  const { sanggahOpensAt, sanggahClosesAt, respondBy } = stage.calendar;
  const closed = sanggahRefusal({ opensAt: sanggahOpensAt, closesAt: sanggahClosesAt, respondBy }, now);
  if (closed) throw refusal([closed], 'SANGGAH_CLOSED', 'conflict');
  return {
    window: {
      state: 'open',
      deadline: sanggahClosesAt,
      deadlineWib: formatWib(sanggahClosesAt),
      graceMinutes: 0,
    },
    // The close's minute counts, as for every deadline (23:59 WIB means until 24:00 WIB).
    endsAt: Date.parse(sanggahClosesAt) + 60_000,
  };
}

/**
 * The new evidence an objection names must be the region's own `objection` uploads of this cycle
 * (keys handed out by request-upload), so an objection cannot point at anyone else's files.
 */
export function objectionEvidenceProblems(cycleId: string, kode: string, keys: readonly string[]): Problem[] {
  const out: Problem[] = [];
  keys.forEach((key, i) => {
    const parsed = parseUploadKey(key);
    if (
      parsed.ok &&
      parsed.upload.kind === 'objection' &&
      parsed.upload.cycleId === cycleId &&
      parsed.upload.kode === kode
    )
      return;
    out.push(
      problem(
        'OBJECTION_EVIDENCE_INVALID',
        'error',
        { path: `evidence[${i}]` },
        `Bukti sanggah "${key.slice(0, 200)}" bukan unggahan jenis "objection" wilayah ${kode} pada siklus ${cycleId}; unggah bukti baru melalui POST /cycles/${cycleId}/regions/${kode}/uploads dengan kind "objection" lalu sebut kuncinya.`,
        `Objection evidence "${key.slice(0, 200)}" is not an "objection" upload of region ${kode} in cycle ${cycleId}; upload new evidence through POST /cycles/${cycleId}/regions/${kode}/uploads with kind "objection" and name its key.`,
      ),
    );
  });
  return out;
}
