import type { CycleRecord, LedgerPort } from '#adapters/dynamo/index';
import type { LedgerValue } from '#domain/ledger/index';
import type { CalendarChangeBody } from './contract';

const plain = (value: unknown): LedgerValue => JSON.parse(JSON.stringify(value)) as LedgerValue;
const admin = (by: string) => ({ sub: by, role: 'admin' });

/** `cycle.created` (its calendar) and `methodology.bound` (the methodology's id and hash). */
export async function recordCycleCreated(ledger: LedgerPort, cycle: CycleRecord, by: string): Promise<void> {
  await ledger.append(cycle.cycleId, {
    action: 'cycle.created',
    actor: admin(by),
    at: cycle.createdAt,
    subject: { cycle: cycle.cycleId },
    after: plain({
      index: cycle.index,
      period: cycle.period,
      name: cycle.name,
      calendar: cycle.calendar,
      ...(cycle.ledgerRetentionDays ? { ledgerRetentionDays: cycle.ledgerRetentionDays } : {}),
    }),
    idempotencyKey: `cycle-created:${cycle.cycleId}`,
  });
  await ledger.append(cycle.cycleId, {
    action: 'methodology.bound',
    actor: admin(by),
    at: cycle.createdAt,
    subject: { cycle: cycle.cycleId, methodology: cycle.methodology.id },
    after: { id: cycle.methodology.id, hash: cycle.methodology.hash },
    idempotencyKey: `methodology-bound:${cycle.cycleId}`,
  });
}

/** `calendar.changed`: the calendar before and after, and the reason an extension gives. */
export async function recordCalendarChange(
  ledger: LedgerPort,
  c: { before: CycleRecord; after: CycleRecord; change: CalendarChangeBody; by: string; at: string },
): Promise<void> {
  await ledger.append(c.after.cycleId, {
    action: 'calendar.changed',
    actor: admin(c.by),
    at: c.at,
    subject: { cycle: c.after.cycleId },
    before: plain(c.before.calendar),
    after: plain(c.after.calendar),
    ...(c.change.extension ? { reason: c.change.extension.reason } : {}),
    idempotencyKey: `calendar:${c.after.cycleId}:v${c.after.version}`,
  });
}

/** `run.requested`: an admin's re-run and its reason (the run itself is `run.started`). */
export async function recordRerun(
  ledger: LedgerPort,
  r: { cycleId: string; runId: string; by: string; reason: string; at: string },
): Promise<void> {
  await ledger.append(r.cycleId, {
    action: 'run.requested',
    actor: admin(r.by),
    at: r.at,
    subject: { run: r.runId },
    reason: r.reason,
    idempotencyKey: `run-requested:${r.cycleId}:${r.runId}`,
  });
}
