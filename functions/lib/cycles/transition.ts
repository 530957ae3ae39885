import type { CycleRecord, CycleRepository, CycleStatus } from '#adapters/dynamo/index';
import { dueTransitions, nextTransitionAt } from '#domain/cycle';
import { type AssessmentDeps, ensureRunStarted, reconcileRun, startAssessment } from './assessment';

export interface TransitionDeps extends AssessmentDeps {
  cycles: Pick<CycleRepository, 'get' | 'transition' | 'listDue' | 'list'>;
  now: () => Date;
}

export interface CycleAdvance {
  cycleId: string;
  outcome: 'advanced' | 'nothing-due' | 'not-found' | 'conflict';
  /** Statuses this call moved the cycle through (transitions another caller made are not listed). */
  applied: CycleStatus[];
  status?: CycleStatus;
  runId?: string;
}

const CALENDAR = { trigger: 'calendar', reason: 'kalender | calendar' } as const;

/**
 * Applies every calendar transition that is due (DRAFT → OPEN → CLOSED → ASSESSING), each as a
 * guarded update from the status it was read in, and records the next one (the due index the
 * safety net reads). Entering ASSESSING starts the national run. Firing twice changes nothing.
 */
export async function advanceCycle(cycleId: string, deps: TransitionDeps): Promise<CycleAdvance> {
  const now = deps.now();
  const at = now.toISOString();
  let cycle: CycleRecord | undefined = await deps.cycles.get(cycleId);
  if (!cycle) return { cycleId, outcome: 'not-found', applied: [] };

  // A run that failed, or whose execution ended unfinished, leaves the cycle ASSESSING: back to
  // CLOSED (the run FAILED with the execution's cause), waiting for an admin's re-run.
  const before = cycle.status;
  cycle = await reconcileRun(cycle, deps, at);
  const applied: CycleStatus[] = before !== cycle.status ? [cycle.status] : [];
  if (cycle.status === 'ASSESSING') await ensureRunStarted(cycle, CALENDAR, deps);

  let runId: string | undefined;
  // Not after a failed run: `nextTransitionAt` was cleared, and only an admin re-runs it.
  const due = cycle.nextTransitionAt ? dueTransitions(cycle.status, cycle.calendar, now) : [];
  for (const to of due) {
    if (to === 'ASSESSING') {
      const started = await startAssessment(cycle, { ...CALENDAR, at }, deps);
      cycle = started.cycle;
      if (started.outcome === 'started') applied.push('ASSESSING');
      if (started.outcome !== 'rejected') runId = started.runId;
      if (started.outcome === 'rejected') return result(cycle, 'conflict', applied);
      break;
    }
    const moved = await deps.cycles.transition(cycle.cycleId, to, {
      from: [cycle.status],
      at,
      reason: CALENDAR.reason,
      nextTransitionAt: nextTransitionAt(to, cycle.calendar) ?? null,
    });
    if (moved.outcome === 'not-found') return { cycleId, outcome: 'not-found', applied };
    cycle = moved.cycle;
    if (moved.outcome === 'rejected') return result(cycle, 'conflict', applied);
    if (moved.outcome === 'applied') applied.push(to);
  }
  return result(cycle, applied.length > 0 ? 'advanced' : 'nothing-due', applied, runId);
}

function result(
  cycle: CycleRecord,
  outcome: CycleAdvance['outcome'],
  applied: CycleStatus[],
  runId?: string,
): CycleAdvance {
  return {
    cycleId: cycle.cycleId,
    outcome,
    applied,
    status: cycle.status,
    ...(runId ? { runId } : {}),
  };
}

/**
 * The safety net: every cycle whose next transition is due, and every ASSESSING cycle (its run is
 * reconciled with its execution), each on its own (one failing does not stop the others).
 */
export async function catchUp(
  deps: TransitionDeps,
): Promise<{ results: CycleAdvance[]; errors: { cycleId: string; error: unknown }[] }> {
  const due = await deps.cycles.listDue(deps.now().toISOString());
  const ids = new Set(due.map((c) => c.cycleId));
  for (const c of await assessingCycles(deps)) ids.add(c.cycleId);
  const results: CycleAdvance[] = [];
  const errors: { cycleId: string; error: unknown }[] = [];
  for (const cycle of [...ids].map((cycleId) => ({ cycleId }))) {
    try {
      results.push(await advanceCycle(cycle.cycleId, deps));
    } catch (error) {
      errors.push({ cycleId: cycle.cycleId, error });
    }
  }
  return { results, errors };
}

/** Cycles in ASSESSING (a handful a year: the cycle list is read page by page, no scan). */
async function assessingCycles(deps: Pick<TransitionDeps, 'cycles'>): Promise<CycleRecord[]> {
  const found: CycleRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.cycles.list({ limit: 100, ...(cursor ? { cursor } : {}) });
    found.push(...page.items.filter((c) => c.status === 'ASSESSING'));
    cursor = page.cursor;
  } while (cursor);
  return found;
}
