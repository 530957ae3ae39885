import { catalogueMap } from '#domain/verification/index';
import { type Caller, hasRole } from '#http/auth';
import { notFound } from '#http/errors';
import { regionDecisions } from './decisions';
import type { VerificationDeps } from './deps';

/** Evidence links live this long. */
export const EVIDENCE_LINK_SECONDS = 300;

/**
 * A region's answers with the decision that counts (unreviewed: null) and any objection; admins
 * also see each slot's decision (primary, second, adjudicated). Access is checked by the caller.
 */
export async function regionAnswers(deps: VerificationDeps, caller: Caller, cycleId: string, kode: string) {
  const [r, objections] = await Promise.all([
    regionDecisions(deps, cycleId, kode),
    deps.repos.verification.listObjectionsOfRegion(cycleId, kode),
  ]);
  const admin = hasRole(caller, 'admin');
  const objectionOf = new Map(objections.map((o) => [o.answer, o]));
  return {
    cycleId,
    kode,
    submissionId: r.submissionId,
    progress: { ...r.progress, awaitingAdjudication: r.counted.awaitingAdjudication },
    answers: r.catalogue.map((ref) => ({
      ...ref,
      decision: r.counted.counting.get(ref.key) ?? null,
      ...(admin
        ? {
            decisions: {
              primary: r.counted.bySlot.P.get(ref.key) ?? null,
              second: r.counted.bySlot.S.get(ref.key) ?? null,
              adjudicated: r.counted.bySlot.A.get(ref.key) ?? null,
            },
          }
        : {}),
      objection: objectionOf.get(ref.key) ?? null,
    })),
  };
}

/** A short-lived GET link to one answer's evidence; every opening is recorded with who opened it. */
export async function openEvidence(
  deps: VerificationDeps,
  caller: Caller,
  cycleId: string,
  kode: string,
  answer: string,
) {
  const r = await regionDecisions(deps, cycleId, kode);
  const ref = catalogueMap(r.catalogue).get(answer);
  if (!ref?.evidence) throw notFound(`Bukti jawaban ${answer}`, `Evidence of answer ${answer}`);
  const files = await deps.repos.evidence.listForRegion(cycleId, kode);
  const file = files.find((f) => f.fileName === ref.evidence);
  if (!file) throw notFound(`Berkas bukti ${ref.evidence}`, `Evidence file ${ref.evidence}`);
  const url = await deps.presign(file.object.key);
  await deps.repos.verification.recordEvidenceOpening(cycleId, kode, caller.subject, file.object.key);
  return { answer, fileName: file.fileName, url, expiresInSeconds: EVIDENCE_LINK_SECONDS };
}
