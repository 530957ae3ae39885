import { StageConflictError } from '#adapters/dynamo/index';
import { type StageCalendar, stageCalendarProblems } from '#domain/verification/index';
import { badRequest, conflict } from '#http/errors';
import { cycleOf, type VerificationDeps } from './deps';

/** Schedules a cycle's verification stage once: its calendar checked, then kept (409 when it exists). */
export async function scheduleStage(deps: VerificationDeps, cycleId: string, calendar: StageCalendar) {
  await cycleOf(deps, cycleId);
  const problems = stageCalendarProblems(calendar);
  if (problems.length > 0)
    throw badRequest(
      'STAGE_CALENDAR_INVALID',
      'Jadwal tahap verifikasi tidak sah.',
      'The verification stage calendar is not valid.',
      problems,
    );
  try {
    return await deps.repos.verification.createStage(cycleId, calendar);
  } catch (error) {
    if (error instanceof StageConflictError)
      throw conflict(
        'STAGE_EXISTS',
        'Tahap verifikasi siklus ini sudah dijadwalkan.',
        "This cycle's verification stage is already scheduled.",
      );
    throw error;
  }
}
