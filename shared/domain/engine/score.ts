import type { LoadedMethodology } from '../methodology/load';
import { type Problem, problem } from '../problems';
import type { Submission } from '../submission';
import { isAssessable } from './assessable';
import { type CompiledMethodology, compile } from './compile';
import { formatDecimal, roundDecimal } from './display';
import { checkEligibility, type Ineligibility } from './eligibility';
import { evaluateRaw } from './evaluate';
import type { RunStats } from './leaf';
import {
  exactIndex,
  isPackable,
  type PackedSubmission,
  packedSurveyBelowMinimum,
  packSubmission,
} from './packed';
import { predikatOf } from './predikat';
import { formatRational, type Rational, toNumber } from './rational';
import { surveyDimensionsBelowMinimum } from './survey-minimum';
import { type AggregateTrace, explainTrace, type NodeTrace, traceRoot } from './trace';

/** What a ranking needs: computed without any trace. */
export interface ScoreResult {
  region: string;
  /** Full precision; ranking uses this. */
  index: number;
  /** The published value, rounded to the methodology's decimals. */
  display: string;
  predikat: string;
  predikatEn: string;
  assessable: boolean;
  eligible: boolean;
  /** True while relative indicators await the national run's statistics. */
  provisional: boolean;
  /**
   * A survey dimension has fewer valid respondents than the methodology's minimum: it scores 0 and
   * the region is not ranked (`survey-below-minimum`), like an ineligible one.
   */
  surveyBelowMinimum: boolean;
  profile: Record<string, string>;
}

export interface ScoreCard extends ScoreResult {
  methodology: { id: string; version: string; period: number; hash: string; disclaimer?: string };
  period: number;
  rawTotal: number;
  rawMax: number;
  scale: number;
  ineligibility: Ineligibility[];
  /** Where the survey's answers came from: the survey channel, or a paper file (with its scan). */
  surveySource?: 'paper' | 'channel';
  /** A paper survey's scan (the evidence file of the filled-in forms). */
  surveyScan?: string;
  breakdown: AggregateTrace;
  warnings: Problem[];
}

export interface ScoreOptions {
  /** National statistics for relative normalisation; without them relative indicators are pending. */
  stats?: RunStats;
  /** Words on every leaf (default true); national runs leave them out and explain one card on demand. */
  explain?: boolean;
}

/**
 * The fast path: no trace. Packs the submission (packed.ts) and scores the packed form exactly;
 * a national run that already holds packed submissions calls `scorePacked` directly.
 */
export function scoreFast(
  methodology: LoadedMethodology,
  submission: Submission,
  options: ScoreOptions = {},
): ScoreResult {
  if (isPackable(methodology))
    return scorePacked(methodology, packSubmission(methodology, submission), options);
  const c = compile(methodology);
  const assessable = isAssessable(c, submission);
  const raw = assessable ? evaluateRaw(c, submission, options.stats) : 0;
  return floatResult(methodology, c, submission, raw, assessable, options);
}

/**
 * The fast path from the packed form: what the national run reads. Equal to `scoreFast` on the
 * canonical submission the packed form was made from, and to `score` (the property test holds them).
 */
export function scorePacked(
  methodology: LoadedMethodology,
  packed: PackedSubmission,
  options: ScoreOptions = {},
): ScoreResult {
  const c = compile(methodology);
  const index = exactIndex(methodology, packed, options.stats);
  const ineligibility = checkEligibility(methodology.eligibility, packed.profile);
  return {
    region: packed.region,
    ...publishExact(methodology, index, packed.assessable),
    eligible: ineligibility.length === 0,
    provisional: awaitsNationalRun(c, options),
    surveyBelowMinimum: packedSurveyBelowMinimum(methodology, packed),
    profile: packed.profile,
  };
}

/** The score card with its full derivation trace. */
export function score(
  methodology: LoadedMethodology,
  submission: Submission,
  options: ScoreOptions = {},
): ScoreCard {
  const c = compile(methodology);
  const assessable = isAssessable(c, submission);
  const breakdown = traceRoot(c, submission, options.stats);
  if (options.explain !== false) explainTrace(c, breakdown);
  const raw = assessable ? (breakdown.score ?? Number.NaN) : 0;
  const ineligibility = checkEligibility(methodology.eligibility, submission.profile);
  // The published value comes from the same exact evaluation as the fast path; the trace shows
  // how it was derived.
  const result: ScoreResult = isPackable(methodology)
    ? {
        region: submission.region,
        ...publishExact(
          methodology,
          exactIndex(methodology, packSubmission(methodology, submission), options.stats),
          assessable,
        ),
        eligible: ineligibility.length === 0,
        provisional: awaitsNationalRun(c, options),
        surveyBelowMinimum: surveyDimensionsBelowMinimum(c, submission).length > 0,
        profile: submission.profile,
      }
    : floatResult(methodology, c, submission, raw, assessable, options);
  return {
    ...result,
    methodology: {
      id: methodology.id,
      version: methodology.version,
      period: methodology.period,
      hash: methodology.hash,
      ...(methodology.disclaimer ? { disclaimer: methodology.disclaimer } : {}),
    },
    period: submission.period,
    rawTotal: Number.isNaN(raw) ? 0 : raw,
    rawMax: c.rawMax,
    scale: methodology.output.scale,
    ineligibility,
    ...(submission.survey ? { surveySource: submission.survey.source ?? 'paper' } : {}),
    ...(submission.survey?.scan && submission.survey.source !== 'channel'
      ? { surveyScan: submission.survey.scan }
      : {}),
    breakdown,
    warnings: collectWarnings(methodology, submission, breakdown, assessable),
  };
}

/**
 * The result of a methodology the packed form cannot hold (see `isPackable`): published from the
 * float sum of the compiled tree, the one path both `scoreFast` and `score` take for it.
 */
function floatResult(
  m: LoadedMethodology,
  c: CompiledMethodology,
  submission: Submission,
  raw: number,
  assessable: boolean,
  options: ScoreOptions,
): ScoreResult {
  const rawMax = c.rawMax;
  const provisional = awaitsNationalRun(c, options);
  const ineligibility = checkEligibility(m.eligibility, submission.profile);
  const surveyBelowMinimum = surveyDimensionsBelowMinimum(c, submission).length > 0;
  const index = Number.isNaN(raw) || rawMax <= 0 ? 0 : (raw / rawMax) * m.output.scale;
  const displayed = roundDecimal(index, m.output.decimals);
  const predikat = predikatOf(m, displayed, assessable);
  return {
    region: submission.region,
    index,
    display: formatDecimal(index, m.output.decimals),
    predikat: predikat.label,
    predikatEn: predikat.en,
    assessable,
    eligible: ineligibility.length === 0,
    provisional,
    surveyBelowMinimum,
    profile: submission.profile,
  };
}

/**
 * The published value is the half-up rounding of the exact index (60.005 → "60.01", whatever
 * double is nearest to it); the predikat follows the published value; ranking uses the nearest double.
 */
export function publishExact(
  m: LoadedMethodology,
  index: Rational,
  assessable: boolean,
): Pick<ScoreResult, 'index' | 'display' | 'predikat' | 'predikatEn' | 'assessable'> {
  const display = formatRational(index, m.output.decimals);
  const predikat = predikatOf(m, Number(display), assessable);
  return { index: toNumber(index), display, predikat: predikat.label, predikatEn: predikat.en, assessable };
}

/** Until the national run, any score of a methodology with relative rules is provisional. */
const awaitsNationalRun = (c: CompiledMethodology, options: ScoreOptions): boolean =>
  options.stats === undefined && c.relativeCodes.length > 0;

function collectWarnings(
  m: LoadedMethodology,
  submission: Submission,
  root: AggregateTrace,
  assessable: boolean,
): Problem[] {
  const warnings: Problem[] = [];
  const warn = (code: string, indicator: string | undefined, path: string, id: string, en: string) =>
    warnings.push(problem(code, 'warning', { ...(indicator ? { indicator } : {}), path }, id, en));
  if (submission.methodology !== m.id)
    warn(
      'METHODOLOGY_MISMATCH',
      undefined,
      'methodology',
      `Berkas disiapkan untuk metodologi "${submission.methodology}", dinilai dengan "${m.id}".`,
      `The file was prepared for methodology "${submission.methodology}", scored with "${m.id}".`,
    );
  if (submission.period !== m.period)
    warn(
      'PERIOD_MISMATCH',
      undefined,
      'period',
      `Periode berkas ${submission.period} berbeda dengan periode metodologi ${m.period}.`,
      `The file's period ${submission.period} differs from the methodology's period ${m.period}.`,
    );
  if (!assessable)
    warn(
      'NOT_ASSESSABLE',
      undefined,
      'indicators',
      'Tidak ada isian berbasis bukti: nilai 0 dan predikat "Tidak Dapat Dinilai". Lengkapi isian beserta dokumen buktinya.',
      'Nothing evidence-based was submitted: score 0 and "Tidak Dapat Dinilai". Fill in answers with their evidence documents.',
    );
  const known = new Set(m.indicators.map((i) => i.code));
  for (const code of Object.keys(submission.indicators))
    if (!known.has(code))
      warn(
        'UNKNOWN_INDICATOR',
        code,
        `indicators.${code}`,
        `Kode indikator ${code} tidak dikenal dalam ${m.id}; diabaikan.`,
        `Indicator code ${code} is unknown in ${m.id}; ignored.`,
      );
  const mandatory = new Set(m.indicators.filter((i) => i.mandatory).map((i) => i.code));
  const visit = (node: NodeTrace, path: string) => {
    if (node.kind === 'aggregate') {
      for (const child of node.children) visit(child, path);
      return;
    }
    if (node.kind === 'repeated-group') {
      node.items.forEach((item, i) => {
        item.statuses.forEach((status, col) => {
          const column = node.columns[col];
          if (!column) return;
          const path = `groups.${node.group}[${i}].indicators.${column.code}`;
          if (status === 'missing' && mandatory.has(column.code))
            warn(
              'MANDATORY_MISSING',
              column.code,
              path,
              `Indikator wajib ${column.code} (${column.name.id}) pada ${item.id} belum diisi: bernilai 0.`,
              `Mandatory indicator ${column.code} (${column.name.en}) of ${item.id} is not answered: scored 0.`,
            );
          if (status === 'invalid')
            warn(
              'LEVEL_INVALID',
              column.code,
              path,
              `Indikator ${column.code} pada ${item.id}: level ${item.levels[col]} tidak didefinisikan (bernilai 0).`,
              `Indicator ${column.code} of ${item.id}: level ${item.levels[col]} is not defined (scored 0).`,
            );
        });
      });
      return;
    }
    const where = `${path}.${node.code}`;
    if (node.status === 'missing' && mandatory.has(node.code))
      warn(
        'MANDATORY_MISSING',
        node.code,
        where,
        `Indikator wajib ${node.code} (${node.name.id}) belum diisi: bernilai 0.`,
        `Mandatory indicator ${node.code} (${node.name.en}) is not answered: scored 0.`,
      );
    if (node.status === 'invalid')
      warn(
        'LEVEL_INVALID',
        node.code,
        where,
        `Indikator ${node.code}: level ${node.level} tidak didefinisikan (bernilai 0). Pilih level yang tersedia.`,
        `Indicator ${node.code}: level ${node.level} is not defined (scored 0). Choose one of the defined levels.`,
      );
    if (node.status === 'pending')
      warn(
        'PENDING_NATIONAL_RUN',
        node.code,
        where,
        `Indikator ${node.code} dinormalisasi relatif terhadap seluruh daerah: nilainya ditetapkan pada penilaian nasional (nilai sementara).`,
        `Indicator ${node.code} is normalised against all regions: it is scored in the national run (provisional score).`,
      );
    if (node.status === 'not-scored')
      warn(
        'SURVEY_BELOW_MINIMUM',
        node.code,
        where,
        `Dimensi ${node.code} bernilai 0: hanya ${node.stats?.count ?? 0} responden sah, di bawah batas minimum ${m.survey?.minRespondents ?? '-'}. Daerah tetap dinilai tetapi tidak diperingkat (survey-below-minimum).`,
        `Dimension ${node.code} scores 0: only ${node.stats?.count ?? 0} valid respondents, below the minimum ${m.survey?.minRespondents ?? '-'}. The region is scored but not ranked (survey-below-minimum).`,
      );
  };
  visit(root, 'indicators');
  return warnings;
}
