import { duePhases, phaseChangeProblems, type StagePhase } from '#domain/verification/index';
import { conflict, DomainError } from '#http/errors';
import { mapLimit } from '#util/pool';
import { regionDecisions } from './decisions';
import { cycleOf, type StageDeps, stageOf, type VerificationDeps } from './deps';
import { recordPhaseChange } from './ledger';

/** What moving a phase needs: the stage's reads and the runner of the phase results. */
export type PhaseMoveDeps = StageDeps & Pick<VerificationDeps, 'phases'>;

/** Regions whose verification is not complete (or awaits adjudication, or has no assessor). */
export async function incompleteRegions(deps: StageDeps, cycleId: string): Promise<string[]> {
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
  deps: PhaseMoveDeps,
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

/**
 * The scheduled path (cycle-transition's safety net, every 15 minutes): every move the stage calendar
 * makes due, in order; a refusal stops and is reported, a started phase run ends the pass.
 */
export async function runDuePhases(deps: PhaseMoveDeps, cycleId: string) {
  const stage = await deps.repos.verification.getStage(cycleId);
  if (!stage) return { moved: [] as StagePhase[] };
  const moved: StagePhase[] = [];
  for (const to of duePhases(stage.phase, stage.calendar, deps.now())) {
    try {
      const out = await movePhase(deps, cycleId, to, 'schedule', 'schedule');
      moved.push(to);
      // Its results are being computed; the state machine moves the phase, the next run goes on.
      if ('run' in out) return { moved, run: out.run };
    } catch (error) {
      return { moved, blocked: { to, error: error instanceof Error ? error.message : String(error) } };
    }
  }
  return { moved };
}

/**
 * The safety net's pass over every cycle with a verification stage: each one's due phase moves
 * (runDuePhases), each cycle on its own (one failing does not stop the others).
 */
export async function advanceStages(deps: PhaseMoveDeps) {
  const results: { cycleId: string; moved: StagePhase[]; blocked?: { to: StagePhase; error: string } }[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.repos.cycles.list({ limit: 100, ...(cursor ? { cursor } : {}) });
    for (const cycle of page.items) {
      const out = await runDuePhases(deps, cycle.cycleId);
      if (out.moved.length > 0 || 'blocked' in out) results.push({ cycleId: cycle.cycleId, ...out });
    }
    cursor = page.cursor;
  } while (cursor);
  return results;
}
