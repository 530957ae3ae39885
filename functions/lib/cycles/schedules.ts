import type { PlannedSchedule, SchedulePort } from '#adapters/cycle-schedules';
import type { CycleRecord } from '#adapters/dynamo/index';
import { pendingTransitions, WIB_OFFSET_MS } from '#domain/cycle';

/**
 * One-time EventBridge Scheduler schedules of a cycle's calendar: one per transition, named
 * `{cycleId}.{open|close|assess}`, so that saving a calendar again updates the same schedules
 * (idempotent) instead of adding more. Each fires cycle-transition with `{cycleId, transition}`;
 * the transition itself is guarded, so a schedule that fires late or twice does no harm.
 */
export const SCHEDULED = { OPEN: 'open', CLOSED: 'close', ASSESSING: 'assess' } as const;
export type ScheduledStatus = keyof typeof SCHEDULED;
const ORDER: ScheduledStatus[] = ['OPEN', 'CLOSED', 'ASSESSING'];

export const scheduleName = (cycleId: string, to: ScheduledStatus): string => `${cycleId}.${SCHEDULED[to]}`;

const MINUTE = 60_000;

/** `at(yyyy-mm-ddThh:mm:ss)` in Asia/Jakarta wall-clock time (WIB has no daylight saving). */
export function atExpression(instant: string | number): string {
  const t = typeof instant === 'number' ? instant : Date.parse(instant);
  return `at(${new Date(t + WIB_OFFSET_MS).toISOString().slice(0, 19)})`;
}

export interface SchedulePlan {
  upsert: PlannedSchedule[];
  /** Schedules of transitions that are no longer ahead (done, or skipped). */
  remove: string[];
}

/** What the calendar needs scheduled now. An overdue transition fires within a minute. */
export function schedulePlan(
  cycle: Pick<CycleRecord, 'cycleId' | 'status' | 'calendar'>,
  now: Date,
): SchedulePlan {
  const pending = pendingTransitions(cycle.status, cycle.calendar);
  const soonest = Math.ceil((now.getTime() + MINUTE) / MINUTE) * MINUTE;
  const upsert: PlannedSchedule[] = [];
  const remove: string[] = [];
  for (const to of ORDER) {
    const name = scheduleName(cycle.cycleId, to);
    const transition = pending.find((p) => p.to === to);
    if (!transition) {
      remove.push(name);
      continue;
    }
    upsert.push({
      name,
      to,
      dueAt: transition.at,
      expression: atExpression(Math.max(Date.parse(transition.at), soonest)),
      input: { cycleId: cycle.cycleId, transition: SCHEDULED[to], source: 'schedule' },
    });
  }
  return { upsert, remove };
}

export interface ScheduleSync {
  scheduled: (Pick<PlannedSchedule, 'name' | 'dueAt' | 'expression'> & { transition: ScheduledStatus })[];
  removed: string[];
}

/** Creates or updates the schedules of the pending transitions and removes the others. */
export async function syncSchedules(
  cycle: Pick<CycleRecord, 'cycleId' | 'status' | 'calendar'>,
  now: Date,
  port: SchedulePort,
): Promise<ScheduleSync> {
  const plan = schedulePlan(cycle, now);
  for (const schedule of plan.upsert) await port.upsert(schedule);
  for (const name of plan.remove) await port.remove(name);
  return {
    scheduled: plan.upsert.map((s) => ({
      name: s.name,
      transition: s.to,
      dueAt: s.dueAt,
      expression: s.expression,
    })),
    removed: plan.remove,
  };
}
