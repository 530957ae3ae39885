import {
  type AssessorRef,
  type Assignment,
  assignmentConflicts,
  assignRegions,
} from '#domain/verification/index';
import { type Caller, hasRole } from '#http/auth';
import { refusal } from './access';
import { assertPhase, regionDecisions } from './decisions';
import { stageOf, type VerificationDeps } from './deps';

/**
 * Assigns every submitted region during VERIFICATION: the admin's own assignments are kept (a
 * conflict of interest refuses the whole request), the rest balanced over the assessors, a seeded
 * sample double-verified.
 */
export async function assignAssessors(
  deps: VerificationDeps,
  cycleId: string,
  input: { assessors: AssessorRef[]; assignments: Assignment[] },
  by: string,
) {
  const stage = await stageOf(deps, cycleId);
  assertPhase(stage, ['VERIFICATION'], { id: 'Penugasan', en: 'Assignment' });
  const conflicts = assignmentConflicts(input.assignments, input.assessors);
  if (conflicts.length > 0) throw refusal(conflicts, 'CONFLICT_OF_INTEREST', 'invalid');
  const [current, existing] = await Promise.all([
    deps.repos.regionStatus.listCurrent(cycleId),
    deps.repos.verification.listAssignments(cycleId),
  ]);
  const plan = assignRegions({
    regions: current.map((r) => r.kode),
    assessors: input.assessors,
    seed: stage.calendar.seed ?? cycleId,
    sampleRate: stage.calendar.sampleRate ?? 0.1,
    existing: [...existing, ...input.assignments].map(({ region, primary, second }) => ({
      region,
      primary,
      ...(second ? { second } : {}),
    })),
  });
  await deps.repos.verification.putAssignments(cycleId, plan.assignments, by);
  return plan;
}

/** Admin: every assignment. Assessor: their own queue, each region with its progress. */
export async function assessorQueue(deps: VerificationDeps, caller: Caller, cycleId: string) {
  const all = await deps.repos.verification.listAssignments(cycleId);
  if (hasRole(caller, 'admin')) return { items: all };
  const mine = all.filter((a) => a.primary === caller.subject || a.second === caller.subject);
  const items = await Promise.all(
    mine.map(async (a) => {
      const { progress } = await regionDecisions(deps, cycleId, a.region);
      return {
        ...a,
        role: a.primary === caller.subject ? 'primary' : 'second',
        progress: { total: progress.total, decided: progress.decided, complete: progress.complete },
      };
    }),
  );
  return { items };
}
