import type { CycleRecord } from '#adapters/dynamo/index';
import { effectiveDeadline, formatWib, uploadDecision, type WindowState } from '#domain/cycle';
import { DomainError } from '#domain/errors';

export interface UploadWindow {
  state: WindowState;
  /** The deadline in force (extensions honoured), ISO 8601 in WIB, and as operators read it. */
  deadline: string;
  deadlineWib: string;
  graceMinutes: number;
}

/** Once the national run has started its manifest is frozen: no upload could count any more. */
const ASSESSED: ReadonlySet<CycleRecord['status']> = new Set(['ASSESSING', 'ASSESSED', 'PUBLISHED']);

/**
 * Whether the cycle takes an upload now, by the server's clock and the cycle's calendar
 * (Asia/Jakarta, extensions, declared grace). Refusals are 409 Conflict: the request is valid and
 * allowed for the caller, the cycle's state is what stands in the way (a later extension may lift it).
 */
export function admitUpload(cycle: CycleRecord, now: Date): UploadWindow {
  const deadline = effectiveDeadline(cycle.calendar);
  if (ASSESSED.has(cycle.status))
    throw new DomainError(
      'conflict',
      'CYCLE_ASSESSING',
      `Siklus ${cycle.cycleId} sudah masuk tahap penilaian; unggahan tidak lagi diterima.`,
      `Cycle ${cycle.cycleId} is being assessed; uploads are no longer accepted.`,
    );
  const decision = uploadDecision(cycle.calendar, now);
  if (!decision.allowed)
    throw new DomainError(
      'conflict',
      decision.state === 'not-open' ? 'WINDOW_NOT_OPEN' : 'WINDOW_CLOSED',
      decision.message_id ?? 'Jendela pengajuan tidak terbuka.',
      decision.message_en ?? 'The submission window is not open.',
    );
  return {
    state: decision.state,
    deadline,
    deadlineWib: formatWib(deadline),
    graceMinutes: cycle.calendar.graceMinutes ?? 0,
  };
}
