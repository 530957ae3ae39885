import { relativeInputs, scoreFast, statsFromInputs } from '../engine';
import { type ChainVerdict, describeVerdict, parseJsonl, verifyChain } from '../ledger';
import type { LoadedMethodology } from '../methodology/load';
import { parseMethodology } from '../methodology/load';
import { type NationalResult, nationalRanking, unscoredResult } from '../national';
import { findRegion, type RegionLookup } from '../regions';
import { type Submission, submissionSchema } from '../submission';
import { BUNDLE_PATHS, type BundleRegionResult, type BundleRun, bundleResults, bundleRun } from './layout';
import { type BundleFiles, byCodeUnit, checkManifest, type ManifestProblem, sha256Hex } from './manifest';

/** One field of one region that the bundle and the recomputation disagree on. */
export interface Difference {
  region: string;
  /** `index`, `display`, `predikat`, `eligible`, `outcome` or `rank[<cluster>]`. */
  field: string;
  bundle: string;
  recomputed: string;
}

export type ReproduceReport =
  | { kind: 'manifest'; problems: ManifestProblem[] }
  /** The bundle cannot be recomputed at all (a file unreadable, the methodology's hash wrong). */
  | { kind: 'unusable'; problems: string[] }
  | {
      kind: 'compared';
      run: BundleRun;
      regions: number;
      scored: number;
      /** Regions whose every compared field is equal. */
      exact: number;
      differences: Difference[];
      /** The ledger's chain recomputed, its head checked against run.json (absent: an empty ledger). */
      ledger?: ChainVerdict;
    };

export const isExact = (r: ReproduceReport): boolean =>
  r.kind === 'compared' &&
  r.differences.length === 0 &&
  r.exact === r.regions &&
  (r.ledger === undefined || r.ledger.intact);

/** The bundle's ledger.jsonl recomputed; its head must be the one run.json names. */
function verifyLedger(files: BundleFiles, run: BundleRun): ChainVerdict | undefined {
  const entries = parseJsonl(text(files.get(BUNDLE_PATHS.ledger) ?? new Uint8Array()));
  const head = run.ledger?.head;
  if (entries.length === 0 && !head) return undefined;
  return verifyChain(entries, head ? { expectedHead: head } : {});
}

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

/** Full precision: the shortest decimal that reads back as the same double. */
const fullPrecision = (n: number): string => (Object.is(n, -0) ? '-0' : String(n));

/**
 * Checks the manifest, then recomputes every region's score and every rank from the bundle's own
 * methodology and submissions with the engine the national run uses (statistics over the scored
 * regions in code order, the exact published value, standard competition ranks per cluster), and
 * compares with the bundle's results: full-precision index, display value, predikat, eligibility,
 * outcome and every rank. Pure; `regions` is this repository's region list (cluster membership).
 */
export function reproduce(files: BundleFiles, regions: RegionLookup = findRegion): ReproduceReport {
  const manifest = checkManifest(files);
  if (!manifest.ok) return { kind: 'manifest', problems: manifest.problems };

  const problems: string[] = [];
  const json = (path: string): unknown => {
    const bytes = files.get(path);
    if (!bytes) throw new Error(`${path} is missing`);
    return JSON.parse(text(bytes));
  };
  let run: BundleRun;
  let methodology: LoadedMethodology;
  let published: BundleRegionResult[];
  try {
    run = bundleRun.parse(json(BUNDLE_PATHS.run));
    const methodologyBytes = files.get(run.methodology.file);
    if (!methodologyBytes) throw new Error(`${run.methodology.file} is missing`);
    methodology = parseMethodology(JSON.parse(text(methodologyBytes)), run.methodology.file);
    if (methodology.hash !== run.methodology.hash)
      problems.push(`methodology hash ${methodology.hash} differs from the run's ${run.methodology.hash}`);
    if (`sha256:${sha256Hex(methodologyBytes)}` !== run.methodology.hash)
      problems.push(`${run.methodology.file} is not the canonical form of ${run.methodology.hash}`);
    published = bundleResults.parse(json(BUNDLE_PATHS.results)).results;
  } catch (error) {
    return { kind: 'unusable', problems: [error instanceof Error ? error.message : String(error)] };
  }
  if (problems.length > 0) return { kind: 'unusable', problems };

  // The scored regions' submissions, in code order: the run sums its statistics in that order.
  const scoredCodes = published
    .filter((r) => r.outcome === 'scored')
    .map((r) => r.kode)
    .sort(byCodeUnit);
  const submissions = new Map<string, Submission>();
  for (const kode of scoredCodes) {
    const path = BUNDLE_PATHS.selfSubmission(kode);
    const parsed = (() => {
      try {
        return submissionSchema.safeParse(json(path));
      } catch {
        return undefined;
      }
    })();
    if (!parsed?.success) problems.push(`${path} is missing or not a canonical submission`);
    else submissions.set(kode, parsed.data);
  }
  if (problems.length > 0) return { kind: 'unusable', problems };

  const stats = statsFromInputs(
    methodology,
    scoredCodes.map((kode) => relativeInputs(methodology, submissions.get(kode) as Submission)),
  );
  const recomputed: NationalResult[] = published.map((r) => {
    const submission = submissions.get(r.kode);
    if (!submission)
      return unscoredResult(
        methodology,
        r.kode,
        r.outcome === 'scored' ? 'failed' : r.outcome,
        r.submissionId,
      );
    const s = scoreFast(methodology, submission, { stats });
    return {
      region: r.kode,
      outcome: 'scored',
      index: s.index,
      display: s.display,
      predikat: s.predikat,
      predikatEn: s.predikatEn,
      assessable: s.assessable,
      eligible: s.eligible,
      surveyBelowMinimum: s.surveyBelowMinimum,
      profile: s.profile,
      reasons: [],
    };
  });
  const ranking = nationalRanking(methodology, recomputed, regions);

  const differences: Difference[] = [];
  let exact = 0;
  published.forEach((b, i) => {
    const r = recomputed[i] as NationalResult;
    const before = differences.length;
    const compare = (field: string, bundle: string, again: string) => {
      if (bundle !== again) differences.push({ region: b.kode, field, bundle, recomputed: again });
    };
    compare('outcome', b.outcome, r.outcome);
    compare('index', fullPrecision(b.score), fullPrecision(r.index));
    compare('display', b.display, r.display);
    compare('predikat', b.predikat, r.predikat);
    compare('eligible', String(b.eligible), String(r.eligible));
    const ranks = ranking.ranks.get(b.kode) ?? {};
    const clusters = [...new Set([...Object.keys(b.ranks), ...Object.keys(ranks)])].sort(byCodeUnit);
    for (const c of clusters)
      compare(`rank[${c}]`, String(b.ranks[c] ?? 'unranked'), String(ranks[c] ?? 'unranked'));
    if (differences.length === before) exact++;
  });
  const ledger = verifyLedger(files, run);
  return {
    kind: 'compared',
    run,
    regions: published.length,
    scored: scoredCodes.length,
    exact,
    differences,
    ...(ledger ? { ledger } : {}),
  };
}

/** The report as the CLI prints it (English field names; values verbatim). */
export function formatReport(report: ReproduceReport): string[] {
  if (report.kind === 'manifest')
    return [
      'manifest mismatch / manifest tidak cocok:',
      ...report.problems.map(
        (p) =>
          `  ${p.path}: ${p.problem}${p.expected ? ` (manifest ${p.expected}${p.actual ? `, file ${p.actual}` : ''})` : ''}`,
      ),
    ];
  if (report.kind === 'unusable')
    return [
      'bundle cannot be reproduced / bundel tidak dapat dihitung ulang:',
      ...report.problems.map((p) => `  ${p}`),
    ];
  const head = [
    `${report.run.cycleId} ${report.run.runId} (${report.run.methodology.id}, ${report.run.methodology.hash})`,
    report.ledger ? describeVerdict(report.ledger) : 'ledger empty / ledger kosong',
  ];
  if (isExact(report))
    return [
      ...head,
      `reproduced ${report.exact}/${report.regions} regions exactly (${report.scored} scored)`,
    ];
  return [
    ...head,
    report.exact === report.regions
      ? `reproduced ${report.exact}/${report.regions} regions exactly, but the ledger is not intact`
      : `reproduced ${report.exact}/${report.regions} regions exactly; ${report.regions - report.exact} differ:`,
    ...report.differences.map(
      (d) => `  ${d.region} ${d.field}: bundle ${d.bundle}, recomputed ${d.recomputed}`,
    ),
  ];
}
