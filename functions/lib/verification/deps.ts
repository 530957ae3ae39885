import { canonicalKey } from '#adapters/bucket-layout';
import type { CycleRecord, LedgerPort, Repositories } from '#adapters/dynamo/index';
import type { ObjectStore } from '#adapters/object-store';
import { InternalError } from '#domain/errors';
import type { LoadedMethodology } from '#domain/methodology/load';
import { type Submission, submissionSchema } from '#domain/submission';
import { type AnswerRef, answerCatalogue } from '#domain/verification/index';
import { conflict, notFound } from '#http/errors';
import { methodologyOfCycle } from '../cycles/service';

/** The ports of the verification stage (api-verification). */
export interface VerificationDeps {
  repos: Repositories;
  objects: ObjectStore;
  /** A short-lived GET URL for one evidence object. */
  presign: (key: string) => Promise<string>;
  methodologyOf: (id: string) => LoadedMethodology | undefined;
  now: () => Date;
  /** The cycle ledger: every decision, adjudication, objection and resolution. */
  ledger: LedgerPort;
}

export async function cycleOf(deps: VerificationDeps, cycleId: string) {
  const cycle = await deps.repos.cycles.get(cycleId);
  if (!cycle) throw notFound(`Siklus ${cycleId}`, `Cycle ${cycleId}`);
  return { cycle, methodology: methodologyOfCycle(cycle, deps) };
}

export async function stageOf(deps: VerificationDeps, cycleId: string) {
  const stage = await deps.repos.verification.getStage(cycleId);
  if (!stage)
    throw conflict(
      'STAGE_NOT_SET',
      `Tahap verifikasi siklus ${cycleId} belum dijadwalkan (PUT /cycles/${cycleId}/verification).`,
      `The verification stage of cycle ${cycleId} is not scheduled yet (PUT /cycles/${cycleId}/verification).`,
    );
  return stage;
}

export interface RegionSubmission {
  cycle: CycleRecord;
  methodology: LoadedMethodology;
  submission: Submission;
  catalogue: AnswerRef[];
  submissionId: string;
}

/** The region's current (latest accepted) canonical submission, as the national run scored it. */
export async function regionSubmission(
  deps: VerificationDeps,
  cycleId: string,
  kode: string,
): Promise<RegionSubmission> {
  const { cycle, methodology } = await cycleOf(deps, cycleId);
  const status = await deps.repos.regionStatus.get(cycleId, kode);
  const current = status?.current;
  if (!current)
    throw notFound(`Isian wilayah ${kode} pada ${cycleId}`, `Submission of region ${kode} in ${cycleId}`);
  const json = await deps.objects.getJson(
    canonicalKey({ cycleId, kode, submissionId: current.submissionId }),
  );
  const parsed = submissionSchema.safeParse(json);
  if (!parsed.success)
    throw new InternalError(
      'CANONICAL_INVALID',
      `canonical submission of ${kode} in ${cycleId} is unreadable`,
      {
        cause: parsed.error,
      },
    );
  return {
    cycle,
    methodology,
    submission: parsed.data,
    catalogue: answerCatalogue(methodology, parsed.data),
    submissionId: current.submissionId,
  };
}
