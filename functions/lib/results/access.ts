import type { CycleRecord, RunRecord } from '#adapters/dynamo/index';
import { formatWib } from '#domain/cycle';
import { DomainError, notFound } from '#domain/errors';
import { hasResults, isPublished } from '#domain/results';
import { type Caller, hasRole } from '#http/auth';
import type { ResultsDeps } from './deps';
import { cycleRecord, latestRun, runRecord } from './load';
import type { RunRef } from './views';

/** Assessors, leadership and admins see provisional and embargoed results; operators do not. */
export const isPrivileged = (caller: Caller): boolean => hasRole(caller, 'assessor', 'leadership', 'admin');

/** Every authenticated role reads published results; an account without any role reads nothing. */
export function assertAnyRole(caller: Caller): void {
  if (caller.roles.size === 0)
    throw new DomainError(
      'forbidden',
      'NO_ROLE',
      'Akun Anda belum memiliki peran (operator, asesor, pimpinan atau admin); hubungi admin untuk menambahkannya.',
      'Your account has no role yet (operator, assessor, leadership or admin); ask an admin to add one.',
    );
}

export interface ResolvedRun {
  cycle: CycleRecord;
  run: RunRecord & { status: 'PROVISIONAL' | 'FINAL' };
  published: boolean;
}

const notPublished = (cycleId: string): DomainError =>
  new DomainError(
    'not-found',
    'NOT_FOUND',
    `Hasil siklus ${cycleId} tidak ditemukan atau belum diterbitkan. Periksa kode siklus (GET /cycles), atau tunggu penerbitan.`,
    `Results of cycle ${cycleId} were not found or are not published yet. Check the cycle id (GET /cycles), or wait for publication.`,
  );

/**
 * The cycle and the run whose results a caller reads: the given run, or the latest FINAL one
 * (assessors, leadership and admins fall back to the latest PROVISIONAL one). A run that is not
 * published answers 404 to an operator, exactly like one that does not exist.
 */
export async function resolveRun(
  deps: ResultsDeps,
  caller: Caller,
  cycleId: string,
  runId: string | undefined,
): Promise<ResolvedRun> {
  assertAnyRole(caller);
  const privileged = isPrivileged(caller);
  const cycle = await cycleRecord(deps, cycleId);
  if (!cycle)
    throw notFound(
      `Siklus ${cycleId} (periksa kode siklus di GET /cycles)`,
      `Cycle ${cycleId} (check the cycle id in GET /cycles)`,
    );
  let run: RunRecord | undefined;
  if (runId) {
    run = await runRecord(deps, cycleId, runId);
    // To an operator, a run that is not published does not exist (same answer, nothing to learn).
    if (!run || (!privileged && !isPublished({ cycle, run }, deps.now())))
      throw notFound(
        `Penilaian ${runId} pada siklus ${cycleId} (hapus parameter run untuk hasil terbaru)`,
        `Run ${runId} of cycle ${cycleId} (drop the run parameter for the latest results)`,
      );
    if (!hasResults(run.status))
      throw new DomainError(
        'conflict',
        'RUN_NOT_READY',
        run.status === 'RUNNING'
          ? `Penilaian ${runId} masih berjalan; hasilnya belum lengkap. Coba lagi setelah selesai, atau hapus parameter run.`
          : `Penilaian ${runId} gagal dan tidak memiliki hasil; gunakan penilaian lain atau hapus parameter run.`,
        run.status === 'RUNNING'
          ? `Run ${runId} is still running; its results are incomplete. Try again when it has finished, or drop the run parameter.`
          : `Run ${runId} failed and has no results; use another run or drop the run parameter.`,
      );
  } else {
    run = await latestRun(deps, cycleId, 'FINAL');
    if (!run && privileged) run = await latestRun(deps, cycleId, 'PROVISIONAL');
    if (!run)
      throw privileged
        ? notFound(
            `Hasil penilaian siklus ${cycleId} (belum ada penilaian nasional yang selesai)`,
            `Results of cycle ${cycleId} (no national run has finished yet)`,
          )
        : notPublished(cycleId);
  }
  const frozen = run as ResolvedRun['run'];
  const published = isPublished({ cycle, run: frozen }, deps.now());
  if (!published && !privileged) throw notPublished(cycleId);
  return { cycle, run: frozen, published };
}

/** Why results are not public yet, in words; null when they are. */
export function noticeOf({ cycle, run, published }: ResolvedRun, now: Date): RunRef['notice'] {
  if (published) return null;
  if (run.status === 'PROVISIONAL')
    return {
      id: 'Hasil SEMENTARA: belum final dan belum diterbitkan; hanya untuk asesor, pimpinan dan admin.',
      en: 'PROVISIONAL results: not final and not published; for assessors, leadership and admins only.',
    };
  const publishAt = cycle.calendar.publishAt;
  if (publishAt && Date.parse(publishAt) > now.getTime())
    return {
      id: `Hasil final DIEMBARGO sampai ${formatWib(publishAt)}; hanya untuk asesor, pimpinan dan admin.`,
      en: `Final results EMBARGOED until ${formatWib(publishAt)}; for assessors, leadership and admins only.`,
    };
  return {
    id: 'Hasil final BELUM DITERBITKAN; hanya untuk asesor, pimpinan dan admin.',
    en: 'Final results NOT PUBLISHED yet; for assessors, leadership and admins only.',
  };
}
