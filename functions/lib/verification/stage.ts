import { duePhases, phaseChangeProblems, type StagePhase } from '#domain/verification/index';
import { conflict, DomainError } from '#http/errors';
import { mapLimit } from '#util/pool';
import { regionDecisions } from './decisions';
import { cycleOf, stageOf, type VerificationDeps } from './deps';
import { recordPhaseChange } from './ledger';

/** Regions whose verification is not complete (or awaits adjudication, or has no assessor). */
export async function incompleteRegions(deps: VerificationDeps, cycleId: string): Promise<string[]> {
  const loaded = await cycleOf(deps, cycleId);
  const kodes = (await deps.repos.regionStatus.listCurrent(cycleId)).map((r) => r.kode).sort();
  const complete = await mapLimit(kodes, 8, async (kode) => {
    const r = await regionDecisions(deps, cycleId, kode, loaded);
    return r.assignment !== undefined && r.progress.complete;
  });
  return kodes.filter((_, i) => !complete[i]);
}

/** Moves the stage one phase on (admin or schedule), computing and keeping that phase's results first. */
export async function movePhase(
  deps: VerificationDeps,
  cycleId: string,
  to: StagePhase,
  by: string,
  trigger: 'admin' | 'schedule',
  reason?: string,
) {
  const stage = await stageOf(deps, cycleId);
  const { cycle } = await cycleOf(deps, cycleId);
  if (to === 'VERIFICATION' && (cycle.status === 'DRAFT' || cycle.status === 'OPEN'))
    throw conflict(
      'WINDOW_OPEN',
      'Verifikasi dimulai setelah jendela pengajuan ditutup.',
      'Verification starts after the submission window has closed.',
    );
  const readiness = {
    incompleteRegions:
      to === 'PROVISIONAL' && stage.phase === 'VERIFICATION' ? await incompleteRegions(deps, cycleId) : [],
    openObjections:
      to === 'FINAL' && stage.phase === 'RESOLUTION'
        ? (await deps.repos.verification.listObjectionsOfCycle(cycleId)).filter((o) => o.status === 'open')
            .length
        : 0,
  };
  const problems = phaseChangeProblems(stage.phase, to, readiness);
  if (problems.length > 0) {
    const [first] = problems;
    throw new DomainError(
      'conflict',
      first?.code ?? 'PHASE_REFUSED',
      first?.message_id ?? '',
      first?.message_en ?? '',
      problems,
    );
  }
  if ((to === 'PROVISIONAL' || to === 'FINAL') && stage.phase) {
    // Results first, then the move: the verification state machine does both (phase-run.ts).
    const run = await deps.phases.start({
      cycleId,
      phase: to,
      from: stage.phase,
      by,
      trigger,
      ...(reason ? { reason } : {}),
    });
    return { stage: (await deps.repos.verification.getStage(cycleId)) ?? stage, run };
  }
  const moved = await deps.repos.verification.movePhase(cycleId, {
    from: stage.phase,
    to,
    at: deps.now().toISOString(),
    by,
    trigger,
    ...(reason ? { reason } : {}),
  });
  if (!moved)
    throw conflict(
      'PHASE_CHANGED',
      'Tahap sudah dipindahkan oleh proses lain.',
      'The phase was already moved by another process.',
    );
  await recordPhaseChange(deps.ledger, cycleId, {
    from: stage.phase,
    to,
    by,
    trigger,
    at: deps.now().toISOString(),
    ...(reason ? { reason } : {}),
  });
  return { stage: moved };
}

/** The scheduled path: every move the stage calendar makes due, in order; a refusal stops and is reported. */
export async function runDuePhases(deps: VerificationDeps, cycleId: string) {
  const stage = await deps.repos.verification.getStage(cycleId);
  if (!stage) return { moved: [] as StagePhase[] };
  const moved: StagePhase[] = [];
  for (const to of duePhases(stage.phase, stage.calendar, deps.now())) {
    try {
      await movePhase(deps, cycleId, to, 'schedule', 'schedule');
      moved.push(to);
    } catch (error) {
      return { moved, blocked: { to, error: error instanceof Error ? error.message : String(error) } };
    }
  }
  return { moved };
}
