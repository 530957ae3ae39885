import type { SchedulePort } from '#adapters/cycle-schedules';
import type { CycleRecord, LedgerPort, Repositories, RunRecord } from '#adapters/dynamo/index';
import type { NationalRunStarter } from '#adapters/executions';
import { nextTransitionAt, windowState } from '#domain/cycle';
import { DomainError } from '#domain/errors';
import type { LedgerHead } from '#domain/ledger/index';
import type { LoadedMethodology } from '#domain/methodology/load';
import { frozenMethodology } from '#domain/methodology/registry';
import { recordRegionHistory } from '../national/history';
import { recordRunPublication } from '../national/ledger';
import { ensureRunStarted, reconcileRun, startAssessment } from './assessment';
import { newCalendar, revisedCalendar } from './calendar';
import type { CalendarChangeBody, CreateCycleBody } from './contract';
import { cycleNotFound } from './errors';
import { recordCalendarChange, recordCycleCreated, recordRerun } from './ledger';
import { type ScheduleSync, syncSchedules } from './schedules';

export interface CyclesDeps {
  repos: Pick<Repositories, 'cycles' | 'runs' | 'rankings' | 'history' | 'ledger'>;
  schedules: () => SchedulePort;
  starter: () => NationalRunStarter;
  methodologyOf: (id: string) => LoadedMethodology | undefined;
  methodologyIds: () => string[];
  now: () => Date;
  warn: (message: string, details: Record<string, unknown>) => void;
  /** The cycle ledger: creation, methodology, calendar changes, FINAL publication. */
  ledger: LedgerPort;
  /** Writes the ledger up to a head to the export bucket (Object Lock), keyed by the head's seq. */
  exportLedger: (cycleId: string, head: LedgerHead) => Promise<void>;
}

export interface CycleChange {
  cycle: CycleRecord;
  schedules?: ScheduleSync;
  scheduleWarning?: { id: string; en: string };
}

/** The cycle's methodology as shipped now; refused when its content changed since the cycle was made. */
export const methodologyOfCycle = (cycle: CycleRecord, deps: Pick<CyclesDeps, 'methodologyOf'>) =>
  frozenMethodology(cycle.methodology, deps.methodologyOf);

async function getCycle(cycleId: string, deps: Pick<CyclesDeps, 'repos'>): Promise<CycleRecord> {
  const cycle = await deps.repos.cycles.get(cycleId);
  if (!cycle) throw cycleNotFound(cycleId);
  return cycle;
}

/** Schedules follow the data; when Scheduler fails, the data stands and the safety net applies it. */
async function reschedule(cycle: CycleRecord, deps: CyclesDeps): Promise<CycleChange> {
  try {
    return { cycle, schedules: await syncSchedules(cycle, deps.now(), deps.schedules()) };
  } catch (error) {
    deps.warn('schedules not updated', { cycleId: cycle.cycleId, error });
    return {
      cycle,
      scheduleWarning: {
        id: 'Data tersimpan, tetapi jadwal otomatis belum diperbarui; pemeriksaan berkala (tiap 15 menit) tetap menjalankan perubahan status.',
        en: 'The data is saved, but the schedules were not updated; the periodic check (every 15 minutes) still applies the status changes.',
      },
    };
  }
}

export async function createCycle(
  input: CreateCycleBody,
  by: string,
  deps: CyclesDeps,
): Promise<CycleChange> {
  const methodology = deps.methodologyOf(input.methodologyId);
  if (!methodology)
    throw new DomainError(
      'invalid',
      'METHODOLOGY_UNKNOWN',
      `Metodologi ${input.methodologyId} tidak tersedia; pilih salah satu: ${deps.methodologyIds().join(', ')}.`,
      `Methodology ${input.methodologyId} is not available; choose one of: ${deps.methodologyIds().join(', ')}.`,
    );
  const calendar = newCalendar(input.calendar);
  const cycleId = input.cycleId ?? methodology.id;
  const { created, cycle } = await deps.repos.cycles.create({
    cycleId,
    index: methodology.index.toUpperCase(),
    period: methodology.period,
    name: input.name ?? `${methodology.name.id} ${methodology.period}`,
    calendar,
    methodology: { id: methodology.id, hash: methodology.hash },
    nextTransitionAt: nextTransitionAt('DRAFT', calendar),
    ...(input.ledgerRetentionDays ? { ledgerRetentionDays: input.ledgerRetentionDays } : {}),
    at: deps.now().toISOString(),
    by,
  });
  if (!created)
    throw new DomainError(
      'conflict',
      'CYCLE_EXISTS',
      `Siklus ${cycleId} sudah ada; pilih kode siklus lain.`,
      `Cycle ${cycleId} already exists; choose another cycle id.`,
    );
  await recordCycleCreated(deps.ledger, cycle, by);
  return reschedule(cycle, deps);
}

const staleVersion = (cycle: CycleRecord): DomainError =>
  new DomainError(
    'conflict',
    'STALE_VERSION',
    `Siklus telah diubah orang lain (versi sekarang ${cycle.version}); muat ulang lalu ulangi perubahan.`,
    `The cycle was changed by someone else (now version ${cycle.version}); reload and make the change again.`,
  );

/**
 * An admin's calendar change (an extension is data, not a redeploy): guarded by the version the
 * admin read, reopens a CLOSED window that the extension reopened, and reschedules.
 */
export async function changeCalendar(
  cycleId: string,
  change: CalendarChangeBody,
  by: string,
  deps: CyclesDeps,
): Promise<CycleChange> {
  const now = deps.now();
  const at = now.toISOString();
  const cycle = await getCycle(cycleId, deps);
  if (!['DRAFT', 'OPEN', 'CLOSED'].includes(cycle.status))
    throw new DomainError(
      'conflict',
      'CALENDAR_FROZEN',
      `Kalender tidak dapat diubah lagi: siklus berstatus ${cycle.status} (penilaian nasional sudah dimulai).`,
      `The calendar can no longer change: the cycle is ${cycle.status} (the national run has started).`,
    );
  if (change.version !== cycle.version) throw staleVersion(cycle);
  const calendar = revisedCalendar(cycle, change, now, by);
  const updated = await deps.repos.cycles.updateCalendar(cycleId, calendar, {
    expectedVersion: change.version,
    nextTransitionAt: nextTransitionAt(cycle.status, calendar) ?? null,
    at,
  });
  if (updated.outcome === 'not-found') throw cycleNotFound(cycleId);
  if (updated.outcome === 'conflict') throw staleVersion(updated.cycle);
  let result = updated.cycle;
  await recordCalendarChange(deps.ledger, { before: cycle, after: updated.cycle, change, by, at });
  const window = windowState(calendar, now);
  if (result.status === 'CLOSED' && (window === 'open' || window === 'grace')) {
    const reopened = await deps.repos.cycles.transition(cycleId, 'OPEN', {
      from: ['CLOSED'],
      at,
      by,
      reason: 'perpanjangan | extension',
      nextTransitionAt: nextTransitionAt('OPEN', calendar) ?? null,
    });
    if (reopened.outcome !== 'not-found') result = reopened.cycle;
  }
  return reschedule(result, deps);
}

/**
 * Starts a new national run of the cycle (a new run id; earlier runs stay as they are): from
 * CLOSED, ASSESSED, or ASSESSING whose current run failed or whose execution ended unfinished.
 */
export async function rerun(
  cycleId: string,
  options: { by: string; reason: string },
  deps: CyclesDeps,
): Promise<{ cycleId: string; runId: string; status: 'STARTING' }> {
  const at = deps.now().toISOString();
  const assessment = { cycles: deps.repos.cycles, runs: deps.repos.runs, starter: deps.starter() };
  let cycle = await getCycle(cycleId, deps);
  methodologyOfCycle(cycle, deps);
  cycle = await reconcileRun(cycle, assessment, at);
  const trigger = { trigger: 'manual', by: options.by };
  if (cycle.status === 'ASSESSING' && cycle.currentRunId) {
    // A start lost between the status change and StartExecution is completed; anything else is running.
    if ((await ensureRunStarted(cycle, trigger, assessment)) === 'started')
      return { cycleId, runId: cycle.currentRunId, status: 'STARTING' };
    throw runInProgress(cycle.currentRunId);
  }
  if (cycle.status !== 'CLOSED' && cycle.status !== 'ASSESSED')
    throw new DomainError(
      'conflict',
      cycle.status === 'PUBLISHED' ? 'ALREADY_PUBLISHED' : 'WINDOW_NOT_CLOSED',
      cycle.status === 'PUBLISHED'
        ? 'Hasil siklus ini sudah diterbitkan FINAL; penilaian tidak diulang.'
        : `Jendela pengajuan belum ditutup (status ${cycle.status}); penilaian nasional dimulai setelah ditutup.`,
      cycle.status === 'PUBLISHED'
        ? "This cycle's results are published FINAL; the assessment is not re-run."
        : `The submission window is not closed yet (status ${cycle.status}); the national run starts after it closes.`,
    );
  const started = await startAssessment(cycle, { ...trigger, reason: options.reason, at }, assessment);
  if (started.outcome === 'started') {
    await recordRerun(deps.ledger, {
      cycleId,
      runId: started.runId,
      by: options.by,
      reason: options.reason,
      at,
    });
    return { cycleId, runId: started.runId, status: 'STARTING' };
  }
  if (started.outcome === 'in-progress') throw runInProgress(started.runId);
  throw new DomainError(
    'conflict',
    'STATUS_CHANGED',
    `Status siklus baru saja berubah (${started.cycle.status}); muat ulang lalu ulangi.`,
    `The cycle status just changed (${started.cycle.status}); reload and try again.`,
  );
}

const runInProgress = (runId: string): DomainError =>
  new DomainError(
    'conflict',
    'RUN_IN_PROGRESS',
    `Penilaian ${runId} sedang berjalan; tunggu hingga selesai.`,
    `Run ${runId} is in progress; wait until it ends.`,
  );

/**
 * PROVISIONAL → FINAL, explicitly: only the cycle's current run, only when every region was
 * processed. Records every region's history as FINAL and publishes the cycle. A replay (the run
 * is FINAL already) completes whatever the first call left undone.
 */
export async function publishFinal(
  cycleId: string,
  runId: string,
  by: string,
  deps: CyclesDeps,
): Promise<{ cycle: CycleRecord; run: RunRecord; historyRecorded: number }> {
  const at = deps.now().toISOString();
  const cycle = await getCycle(cycleId, deps);
  const run = await deps.repos.runs.get(cycleId, runId);
  if (!run)
    throw new DomainError(
      'not-found',
      'NOT_FOUND',
      `Penilaian ${runId} tidak ditemukan.`,
      `Run ${runId} was not found.`,
    );
  if (run.status !== 'PROVISIONAL' && run.status !== 'FINAL')
    throw new DomainError(
      'conflict',
      'RUN_NOT_PROVISIONAL',
      `Penilaian ${runId} berstatus ${run.status}; hanya hasil PROVISIONAL yang dapat diterbitkan FINAL.`,
      `Run ${runId} is ${run.status}; only a PROVISIONAL result can be published as FINAL.`,
    );
  if (cycle.currentRunId !== runId)
    throw new DomainError(
      'conflict',
      'NOT_CURRENT_RUN',
      `Penilaian ${runId} bukan penilaian terkini siklus ini (${cycle.currentRunId ?? '-'}).`,
      `Run ${runId} is not the cycle's current run (${cycle.currentRunId ?? '-'}).`,
    );
  if ((run.counts?.failed ?? 0) > 0)
    throw new DomainError(
      'conflict',
      'RUN_INCOMPLETE',
      `${run.counts?.failed} wilayah gagal diproses pada penilaian ini; ulangi penilaian sebelum menerbitkan.`,
      `${run.counts?.failed} regions failed to process in this run; re-run it before publishing.`,
    );
  const ledgerHead = await recordRunPublication(deps.ledger, {
    cycleId,
    runId,
    status: 'FINAL',
    at,
    actor: { sub: by, role: 'admin' },
    ...(run.resultKey ? { resultKey: run.resultKey } : {}),
    ...(run.counts ? { counts: run.counts } : {}),
  });
  const moved = await deps.repos.runs.transition(cycleId, runId, 'FINAL', {
    at,
    by,
    reason: 'published',
    ledgerHead,
  });
  if (moved.outcome === 'not-found' || moved.outcome === 'rejected')
    throw new DomainError(
      'conflict',
      'RUN_NOT_PROVISIONAL',
      `Status penilaian ${runId} baru saja berubah; muat ulang.`,
      `Run ${runId} just changed status; reload.`,
    );
  await deps.exportLedger(cycleId, moved.run.ledgerHead ?? ledgerHead);
  const historyRecorded = await recordRegionHistory(deps.repos, cycle, moved.run, 'FINAL', at);
  const published = await deps.repos.cycles.transition(cycleId, 'PUBLISHED', {
    from: ['ASSESSED'],
    at,
    by,
    reason: `run ${runId} FINAL`,
    nextTransitionAt: null,
  });
  return {
    cycle: published.outcome === 'not-found' ? cycle : published.cycle,
    run: moved.run,
    historyRecorded,
  };
}

export async function listRuns(cycleId: string, deps: Pick<CyclesDeps, 'repos'>): Promise<RunRecord[]> {
  return (await deps.repos.runs.list(cycleId, { limit: 20 })).items;
}

export { getCycle };
