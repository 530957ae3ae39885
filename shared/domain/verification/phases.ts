import { formatWib } from '../cycle';
import { type Problem, problem } from '../problems';

/**
 * The assessment stage after the submission window and the self-assessed national run:
 * VERIFICATION → PROVISIONAL (verified results published provisionally) → SANGGAH (objection
 * window) → RESOLUTION (assessors resolve objections) → FINAL (re-ranked, published in editions).
 * Every move is scheduled from the stage calendar or triggered by an admin, recorded with its
 * history; each phase's results are kept beside the earlier ones (never overwritten).
 */
export const STAGE_PHASES = ['VERIFICATION', 'PROVISIONAL', 'SANGGAH', 'RESOLUTION', 'FINAL'] as const;
export type StagePhase = (typeof STAGE_PHASES)[number];

export interface StageCalendar {
  verificationOpensAt: string;
  /** Verification deadline (23:59 WIB): provisional results follow once every region is complete. */
  verificationClosesAt: string;
  sanggahOpensAt: string;
  sanggahClosesAt: string;
  /** Resolutions of objections are due by this instant. */
  respondBy: string;
  /** Share of regions verified twice (default 0.1). */
  sampleRate?: number;
  /** Seed of the double-verification sample and of assignment tie-breaks. */
  seed?: string;
}

export interface PhaseChange {
  from: StagePhase | null;
  to: StagePhase;
  at: string;
  by: string;
  trigger: 'schedule' | 'admin';
  reason?: string;
}

const MINUTE = 60_000;
const end = (deadline: string) => Date.parse(deadline) + MINUTE;

export const nextPhase = (current: StagePhase | null): StagePhase | undefined =>
  current === null ? 'VERIFICATION' : STAGE_PHASES[STAGE_PHASES.indexOf(current) + 1];

/** When the calendar says the move out of `current` is due; undefined for a decision (FINAL). */
export function phaseDueAt(current: StagePhase | null, calendar: StageCalendar): number | undefined {
  switch (current) {
    case null:
      return Date.parse(calendar.verificationOpensAt);
    case 'VERIFICATION':
      return end(calendar.verificationClosesAt);
    case 'PROVISIONAL':
      return Date.parse(calendar.sanggahOpensAt);
    case 'SANGGAH':
      return end(calendar.sanggahClosesAt);
    case 'RESOLUTION':
      return end(calendar.respondBy);
    default:
      return undefined;
  }
}

/** The phase moves the calendar makes due at `now`, in order (a late trigger catches up, a repeat finds none). */
export function duePhases(current: StagePhase | null, calendar: StageCalendar, now: Date): StagePhase[] {
  const out: StagePhase[] = [];
  let phase = current;
  for (;;) {
    const next = nextPhase(phase);
    const at = phaseDueAt(phase, calendar);
    if (!next || at === undefined || now.getTime() < at) return out;
    out.push(next);
    phase = next;
  }
}

/** What must hold before leaving a phase: every region verified; every objection resolved. */
export interface PhaseReadiness {
  /** Regions whose verification is not complete (or awaits adjudication). */
  incompleteRegions: readonly string[];
  /** Objections still open. */
  openObjections: number;
}

export function phaseChangeProblems(
  current: StagePhase | null,
  to: StagePhase,
  readiness: PhaseReadiness,
): Problem[] {
  const expected = nextPhase(current);
  if (to !== expected)
    return [
      problem(
        'PHASE_ORDER',
        'error',
        { path: 'phase' },
        `Tahap ${current ?? '(belum dimulai)'} hanya dapat berlanjut ke ${expected ?? '(tidak ada: sudah final)'}, bukan ${to}.`,
        `Phase ${current ?? '(not started)'} can only move to ${expected ?? '(nothing: already final)'}, not ${to}.`,
      ),
    ];
  if (to === 'PROVISIONAL' && readiness.incompleteRegions.length > 0) {
    const list = readiness.incompleteRegions.slice(0, 20).join(', ');
    return [
      problem(
        'VERIFICATION_INCOMPLETE',
        'error',
        { path: 'phase' },
        `Verifikasi ${readiness.incompleteRegions.length} daerah belum lengkap (${list}): setiap jawaban perlu keputusan dan setiap perbedaan verifikasi ganda perlu ajudikasi.`,
        `Verification of ${readiness.incompleteRegions.length} regions is incomplete (${list}): every answer needs a decision and every double-verification disagreement an adjudication.`,
      ),
    ];
  }
  if (to === 'FINAL' && readiness.openObjections > 0)
    return [
      problem(
        'OBJECTIONS_OPEN',
        'error',
        { path: 'phase' },
        `${readiness.openObjections} sanggah belum diputuskan; putuskan semuanya sebelum hasil akhir.`,
        `${readiness.openObjections} objections are not resolved yet; resolve them all before final results.`,
      ),
    ];
  return [];
}

/** Every inconsistency of a stage calendar: offsets present, and the order of the phases. */
export function stageCalendarProblems(calendar: StageCalendar): Problem[] {
  const fields: [keyof StageCalendar, string][] = [
    ['verificationOpensAt', calendar.verificationOpensAt],
    ['verificationClosesAt', calendar.verificationClosesAt],
    ['sanggahOpensAt', calendar.sanggahOpensAt],
    ['sanggahClosesAt', calendar.sanggahClosesAt],
    ['respondBy', calendar.respondBy],
  ];
  const out: Problem[] = [];
  for (const [field, value] of fields)
    if (!/(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value)))
      out.push(
        problem(
          'CALENDAR_INVALID',
          'error',
          { path: field },
          `${field}: bukan waktu ISO 8601 dengan zona (mis. 2026-09-30T23:59:00+07:00).`,
          `${field}: not an ISO 8601 instant with an offset (e.g. 2026-09-30T23:59:00+07:00).`,
        ),
      );
  if (out.length > 0) return out;
  for (let i = 1; i < fields.length; i++) {
    const [prevField, prev] = fields[i - 1] as [string, string];
    const [field, value] = fields[i] as [string, string];
    if (Date.parse(value) <= Date.parse(prev))
      out.push(
        problem(
          'CALENDAR_ORDER',
          'error',
          { path: field },
          `${field} (${formatWib(value)}) harus setelah ${prevField} (${formatWib(prev)}).`,
          `${field} (${formatWib(value)}) must be after ${prevField} (${formatWib(prev)}).`,
        ),
      );
  }
  if (calendar.sampleRate !== undefined && !(calendar.sampleRate >= 0 && calendar.sampleRate <= 1))
    out.push(
      problem(
        'SAMPLE_RATE_INVALID',
        'error',
        { path: 'sampleRate' },
        'Porsi verifikasi ganda harus antara 0 dan 1 (mis. 0.1 untuk 10 %).',
        'The double-verification share must be between 0 and 1 (e.g. 0.1 for 10 %).',
      ),
    );
  return out;
}

/** Answers to a change attempted after final: nothing changes after final except a new edition. */
export const finalRefusal = (): Problem =>
  problem(
    'CYCLE_FINAL',
    'error',
    { path: 'phase' },
    'Hasil akhir sudah ditetapkan: tidak ada yang dapat diubah. Koreksi hanya melalui edisi baru oleh admin, dengan alasan.',
    'Final results are set: nothing can change. A correction is only a new edition by an admin, with its reason.',
  );
