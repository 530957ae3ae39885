import { type Problem, problem } from '../problems';

/**
 * Who verifies which region. Balanced: each region goes to the eligible assessor with the fewest
 * regions so far (ties by a seeded hash, then id), most constrained regions first, so loads stay
 * within one of each other unless conflicts of interest force otherwise. Conflict of interest: an assessor never verifies a region of their own province.
 * A seeded, deterministic sample of regions (default 10 %) gets a second, independent assessor.
 */
export interface AssessorRef {
  id: string;
  /** Home province code (`PP`), from the token's `custom:province`. */
  province: string;
}

export interface Assignment {
  region: string;
  primary: string;
  /** Present for the double-verified sample. */
  second?: string;
}

export interface AssignmentPlan {
  assignments: Assignment[];
  /** Regions nobody may verify (every assessor is from their province). */
  unassignable: string[];
  load: Record<string, number>;
}

export const DEFAULT_SAMPLE_RATE = 0.1;

export const provinceOf = (kode: string): string => kode.slice(0, 2);

/** True when the assessor may verify the region. */
export const mayVerify = (assessor: Pick<AssessorRef, 'province'>, region: string): boolean =>
  assessor.province !== provinceOf(region);

/**
 * Conflicts of interest in assignments an admin makes by hand: every named assessor must be known
 * (with a home province) and not from the region's province. One problem per refused pair.
 */
export function assignmentConflicts(
  assignments: readonly Assignment[],
  assessors: readonly AssessorRef[],
): Problem[] {
  const province = new Map(assessors.map((a) => [a.id, a.province]));
  const out: Problem[] = [];
  assignments.forEach((a, i) => {
    for (const id of [a.primary, a.second]) {
      if (id === undefined) continue;
      const p = province.get(id);
      if (p && mayVerify({ province: p }, a.region)) continue;
      out.push(
        problem(
          'CONFLICT_OF_INTEREST',
          'error',
          { path: `assignments[${i}]` },
          `Penilai ${id} (provinsi ${p ?? '?'}) tidak boleh memverifikasi wilayah ${a.region}.`,
          `Assessor ${id} (province ${p ?? '?'}) may not verify region ${a.region}.`,
        ),
      );
    }
  });
  return out;
}

/** FNV-1a, 32 bits: a small deterministic hash for seeded choices (no crypto needed). */
export function seededHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The double-verification sample: round(rate × n) regions (at least one when rate > 0), by seeded hash. */
export function doubleVerificationSample(
  regions: readonly string[],
  seed: string,
  rate: number = DEFAULT_SAMPLE_RATE,
): Set<string> {
  if (rate <= 0 || regions.length === 0) return new Set();
  const size = Math.min(regions.length, Math.max(1, Math.round(rate * regions.length)));
  const ordered = [...new Set(regions)].sort(
    (a, b) => seededHash(`${seed}:${a}`) - seededHash(`${seed}:${b}`) || (a < b ? -1 : 1),
  );
  return new Set(ordered.slice(0, size));
}

export function assignRegions(input: {
  regions: readonly string[];
  assessors: readonly AssessorRef[];
  seed: string;
  sampleRate?: number;
  /** Assignments already made (by an admin, or an earlier plan): kept, and counted in the load. */
  existing?: readonly Assignment[];
}): AssignmentPlan {
  const load: Record<string, number> = Object.fromEntries(input.assessors.map((a) => [a.id, 0]));
  const kept = new Map((input.existing ?? []).map((a) => [a.region, a]));
  for (const a of kept.values()) {
    load[a.primary] = (load[a.primary] ?? 0) + 1;
    if (a.second) load[a.second] = (load[a.second] ?? 0) + 1;
  }
  const sample = doubleVerificationSample(input.regions, input.seed, input.sampleRate);
  const assignments: Assignment[] = [];
  const unassignable: string[] = [];
  const pick = (region: string, exclude?: string): string | undefined => {
    let best: AssessorRef | undefined;
    let bestKey = 0;
    for (const a of input.assessors) {
      if (a.id === exclude || !mayVerify(a, region)) continue;
      const key = seededHash(`${input.seed}:${region}:${a.id}`);
      const diff = best === undefined ? -1 : (load[a.id] ?? 0) - (load[best.id] ?? 0);
      if (
        best === undefined ||
        diff < 0 ||
        (diff === 0 && (key < bestKey || (key === bestKey && a.id < best.id)))
      ) {
        best = a;
        bestKey = key;
      }
    }
    if (best) load[best.id] = (load[best.id] ?? 0) + 1;
    return best?.id;
  };
  // Most constrained regions first (fewest eligible assessors), so the free ones fill the gaps.
  const eligible = (region: string) => input.assessors.filter((a) => mayVerify(a, region)).length;
  const order = [...new Set(input.regions)].sort((a, b) => eligible(a) - eligible(b) || (a < b ? -1 : 1));
  for (const region of order) {
    const existing = kept.get(region);
    if (existing) {
      assignments.push(existing);
      continue;
    }
    const primary = pick(region);
    if (!primary) {
      unassignable.push(region);
      continue;
    }
    const second = sample.has(region) ? pick(region, primary) : undefined;
    assignments.push({ region, primary, ...(second ? { second } : {}) });
  }
  assignments.sort((a, b) => (a.region < b.region ? -1 : 1));
  return { assignments, unassignable: unassignable.sort(), load };
}
