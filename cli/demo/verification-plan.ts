import { REASON_CODES, type ReasonCode } from '#domain/verification/reasons';
import { pick, prng } from './random';

/**
 * The pure part of the verification demo: what each assessor decides for a region's answers,
 * deterministic for a seed and the region. About 15 % of the answers are adjusted (a level
 * lower, when there is one) or rejected, each with a reason from the catalogue; a few whole
 * innovations are rejected; the second assessor of a double-verified region mostly agrees.
 */
export interface DemoAnswer {
  key: string;
  kind: 'indicator' | 'item' | 'item-indicator' | string;
  level?: number;
}

export interface DemoDecision {
  answer: string;
  decision: 'accept' | 'adjust' | 'reject';
  level?: number;
  reason?: ReasonCode;
  note?: string;
}

export interface RegionPlan {
  primary: DemoDecision[];
  /** The second assessor's decisions (double verification); differs from `primary` on a few answers. */
  second: DemoDecision[];
}

/** Share of answers not accepted, on average over the regions (each region is stricter or milder). */
export const NON_ACCEPT_SHARE = 0.15;
/** Share of whole innovations rejected (duplicates, too old). */
export const INNOVATION_REJECT_SHARE = 0.03;
/** Share of answers on which the second assessor decides otherwise. */
export const DISAGREEMENT_SHARE = 0.05;

const ANSWER_REASONS: readonly [ReasonCode, number][] = [
  ['EVIDENCE_MISSING', 0.4],
  ['EVIDENCE_OUTDATED', 0.25],
  ['EVIDENCE_UNREADABLE', 0.15],
  ['EVIDENCE_NOT_SUPPORTING', 0.12],
  ['OTHER', 0.08],
];
const NOTES: Partial<Record<ReasonCode, readonly string[]>> = {
  EVIDENCE_MISSING: ['Dokumen tidak dilampirkan', 'Tautan bukti kosong'],
  EVIDENCE_OUTDATED: ['SK tahun sebelumnya', 'Data di luar periode penilaian'],
  EVIDENCE_UNREADABLE: ['Pindaian buram', 'Berkas rusak'],
  EVIDENCE_NOT_SUPPORTING: ['Bukti hanya mendukung level lebih rendah', 'Bukti tidak sesuai indikator'],
  OTHER: ['Tanda tangan pejabat tidak ada', 'Bukti milik daerah lain'],
  DUPLICATE_INNOVATION: ['Sama dengan inovasi lain daerah ini'],
  INNOVATION_TOO_OLD: ['Diterapkan lebih dari dua tahun lalu'],
};

/** A stable 32-bit seed from a text (FNV-1a), so each region draws its own numbers. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function weighted<T>(rand: () => number, items: readonly [T, number][]): T {
  let r = rand() * items.reduce((a, [, w]) => a + w, 0);
  for (const [item, w] of items) {
    r -= w;
    if (r <= 0) return item;
  }
  return (items[items.length - 1] as [T, number])[0];
}

const withNote = (rand: () => number, d: Omit<DemoDecision, 'note'>): DemoDecision => {
  const notes = d.reason ? NOTES[d.reason] : undefined;
  return notes ? { ...d, note: pick(rand, notes) } : d;
};

/** A non-accept decision on one answer: a level lower when the evidence supports one, else a rejection. */
function notAccepted(rand: () => number, a: DemoAnswer): DemoDecision {
  if (a.kind === 'item')
    return withNote(rand, {
      answer: a.key,
      decision: 'reject',
      reason: rand() < 0.6 ? 'DUPLICATE_INNOVATION' : 'INNOVATION_TOO_OLD',
    });
  if (a.level !== undefined && a.level >= 2 && rand() < 0.55)
    return withNote(rand, {
      answer: a.key,
      decision: 'adjust',
      level: a.level - 1,
      reason: rand() < 0.8 ? 'EVIDENCE_NOT_SUPPORTING' : 'EVIDENCE_OUTDATED',
    });
  return withNote(rand, { answer: a.key, decision: 'reject', reason: weighted(rand, ANSWER_REASONS) });
}

/** Both assessors' decisions for one region's answers (every answer decided once per slot). */
export function planRegion(seed: number, kode: string, answers: readonly DemoAnswer[]): RegionPlan {
  const rand = prng(seed ^ seedOf(kode));
  // Regions differ: some assessors find little to correct, some a lot; the mean stays at 15 %.
  const strictness = NON_ACCEPT_SHARE * (0.3 + 1.4 * rand());
  const innovationShare = INNOVATION_REJECT_SHARE * (0.3 + 1.4 * rand());
  const primary = answers.map((a): DemoDecision => {
    const p = a.kind === 'item' ? innovationShare : strictness;
    return rand() < p ? notAccepted(rand, a) : { answer: a.key, decision: 'accept' };
  });
  const second = primary.map((d, i): DemoDecision => {
    if (rand() >= DISAGREEMENT_SHARE) return d;
    const a = answers[i] as DemoAnswer;
    return d.decision === 'accept' ? notAccepted(rand, a) : { answer: a.key, decision: 'accept' };
  });
  return { primary, second };
}

/** One region's decisions as a bulk decision sheet (columns kode,answer,decision,level,reason,note). */
export function decisionSheet(kode: string, decisions: readonly DemoDecision[]): string {
  const cell = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const lines = ['kode,answer,decision,level,reason,note'];
  for (const d of decisions)
    lines.push(
      [kode, d.answer, d.decision, d.level?.toString() ?? '', d.reason ?? '', d.note ?? '']
        .map(cell)
        .join(','),
    );
  return `${lines.join('\n')}\n`;
}

export const isReason = (code: string | undefined): boolean =>
  code !== undefined && (REASON_CODES as readonly string[]).includes(code);

/** The reason that cost a region most: changes' effects summed per reason (most negative first). */
export function mainReasons(
  changes: readonly { reason?: string; effect: string }[],
  top = 2,
): { reason: string; effect: number; count: number }[] {
  const by = new Map<string, { effect: number; count: number }>();
  for (const c of changes) {
    const key = c.reason ?? 'OTHER';
    const sum = by.get(key) ?? { effect: 0, count: 0 };
    by.set(key, { effect: sum.effect + Number(c.effect), count: sum.count + 1 });
  }
  return [...by]
    .map(([reason, s]) => ({ reason, ...s }))
    .sort((a, b) => a.effect - b.effect || a.reason.localeCompare(b.reason))
    .slice(0, top);
}
