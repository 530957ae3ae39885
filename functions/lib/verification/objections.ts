import {
  catalogueMap,
  fileObjection,
  mayVerify,
  overdueObjections,
  resolveObjection,
} from '#domain/verification/index';
import { type Caller, hasRole } from '#http/auth';
import { conflict, forbidden, notFound } from '#http/errors';
import { ledgerActor } from '#http/ledger-actor';
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
