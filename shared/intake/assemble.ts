import type { LoadedMethodology } from '#domain/methodology/load';
import { zodProblems } from '#domain/methodology/load';
import type { GroupDefinition, Indicator } from '#domain/methodology/schema';
import type { Problem } from '#domain/problems';
import { normaliseCode, spelledAsKnown } from '#domain/spelling';
import {
  type AnswerInput,
  regionCodeSchema,
  type Submission,
  type SubmissionInput,
  submissionSchema,
} from '#domain/submission';
import type { Draft, DraftAnswer, DraftItem } from './draft';
import { type CellReader, readId, readLevel, readNumber, readStatus, readText, readYear } from './interpret';
import { isPlaced, misplacedIndicator } from './messages';
import { locate, path, type SourceMap } from './paths';
import { knownCodeValues, type Placement, placeIndicators, profileFields } from './placement';
import { report } from './report';
import { cellText } from './table';

export interface Assembled {
  submission?: Submission;
  sources: SourceMap;
  problems: Problem[];
}

/**
 * Turns a Draft into the canonical submission: reads each cell as its column's type, reports cells
 * that cannot be read, and records where every answer came from. Range checks (level 1..3, age of
 * an innovation, evidence) belong to `validateSubmission`, which sees every format the same way.
 */
export function assemble(
  draft: Draft,
  methodology: LoadedMethodology,
  uploadRegion: string,
  decimal: CellReader['decimal'],
): Assembled {
  const reader: CellReader = { sink: [], decimal };
  const sources: SourceMap = new Map();
  const placement = placeIndicators(methodology);

  const meta = (key: Parameters<Draft['meta']['get']>[0]) => readText(reader, draft.meta.get(key));
  const regionCell = draft.meta.get('region');
  let region = uploadRegion;
  if (regionCell) {
    const text = cellText(regionCell).trim();
    if (regionCodeSchema.safeParse(text).success) region = text;
    else
      reader.sink.push(
        report(
          'REGION_INVALID',
          'error',
          regionCell.at,
          `kode wilayah "${text}" tidak sah; kode Kemendagri berbentuk "PP" atau "PP.KK", mis. "18.01". Pakai templat yang diunduh untuk wilayah Anda.`,
          `region code "${text}" is not valid; a Kemendagri code is "PP" or "PP.KK", e.g. "18.01". Use the template downloaded for your region.`,
        ),
      );
    sources.set('region', regionCell.at);
  }
  const periodCell = draft.meta.get('period');
  let period = methodology.period;
  if (periodCell) {
    const value = readNumber(reader, periodCell);
    if (value !== undefined && Number.isInteger(value)) period = value;
    sources.set('period', periodCell.at);
  }
  for (const [key, cell] of [
    ['methodology', draft.meta.get('methodology')],
    ['methodologyHash', draft.meta.get('hash')],
  ] as const)
    if (cell) sources.set(key, cell.at);

  const profile: Record<string, string> = {};
  const profileValues = new Map(profileFields(methodology).map((f) => [f.key, f.values]));
  for (const [key, at] of draft.profileRows) sources.set(path.profile(key), at);
  for (const [key, cell] of draft.profile) {
    const text = readText(reader, cell);
    sources.set(path.profile(key), cell.at);
    if (text !== undefined) profile[key] = spelledAsKnown(text, profileValues.get(key) ?? []);
  }

  const indicators: Record<string, AnswerInput> = {};
  for (const answer of draft.indicators) {
    const answerPath = path.indicator(answer.code);
    if (!sources.has(answerPath)) sources.set(answerPath, answer.at);
    const evidenceAt = answer.evidence?.at ?? answer.evidenceAt;
    if (evidenceAt) sources.set(path.evidence(answerPath), evidenceAt);
    const misplaced = misplacedIndicator(placement, answer.code, {}, answer.at);
    if (misplaced) {
      if (answer.input || answer.evidence) reader.sink.push(misplaced);
      continue;
    }
    const indicator = placement.byCode.get(answer.code);
    const value = indicator && interpretAnswer(reader, indicator, answer);
    if (value) indicators[answer.code] = value;
  }

  const groups: Record<string, Record<string, unknown>[]> = {};
  for (const group of methodology.groups) {
    const items = draft.groups.get(group.id);
    if (!items) continue;
    groups[group.id] = [];
    for (const item of items) {
      const assembled = assembleItem(
        reader,
        methodology,
        placement,
        group,
        item,
        groups[group.id]?.length ?? 0,
        sources,
      );
      if (assembled) groups[group.id]?.push(assembled);
    }
  }

  const input: SubmissionInput = {
    methodology: meta('methodology') ?? methodology.id,
    region,
    period,
    profile,
    indicators,
    groups: groups as SubmissionInput['groups'],
  };
  const hash = meta('hash');
  if (hash) input.methodologyHash = hash;
  return { ...normalise(input, sources, reader.sink), sources };
}

/** Runs the canonical schema so every format yields the same normal form (bare levels expanded, defaults set). */
export function normalise(
  input: unknown,
  sources: SourceMap | undefined,
  problems: Problem[],
): { submission?: Submission; problems: Problem[] } {
  const parsed = submissionSchema.safeParse(input);
  if (parsed.success) return { submission: parsed.data, problems };
  for (const p of zodProblems(parsed.error, ''))
    problems.push({ ...p, location: locate(sources, p.location.path ?? '') });
  return { problems };
}

function interpretAnswer(
  reader: CellReader,
  indicator: Indicator,
  answer: DraftAnswer,
): AnswerInput | undefined {
  const rule = indicator.rule;
  const out: { level?: number; value?: number; evidence?: string; status?: 'accepted' | 'rejected' } = {};
  if (rule.type === 'level')
    out.level = readLevel(
      reader,
      answer.input,
      rule.levels.map((l) => l.level),
      indicator.code,
    );
  else out.value = readNumber(reader, answer.input, indicator.code);
  const evidence = readText(reader, answer.evidence, indicator.code);
  const status = readStatus(reader, answer.status, indicator.code);
  if (out.level === undefined && out.value === undefined) {
    if (!answer.input && (evidence || status))
      reader.sink.push(
        report(
          'ANSWER_EMPTY',
          'warning',
          { ...answer.at, indicator: indicator.code },
          `indikator ${indicator.code} diberi bukti/status tetapi isiannya kosong, sehingga tidak dinilai. Isi kolom isiannya.`,
          `indicator ${indicator.code} has evidence/status but no answer, so it is not scored. Fill in its answer.`,
        ),
      );
    return undefined;
  }
  if (out.level === undefined) delete out.level;
  if (out.value === undefined) delete out.value;
  if (evidence) out.evidence = evidence;
  if (status) out.status = status;
  return out;
}

function assembleItem(
  reader: CellReader,
  methodology: LoadedMethodology,
  placement: Placement,
  group: GroupDefinition,
  item: DraftItem,
  index: number,
  sources: SourceMap,
): Record<string, unknown> | undefined {
  const id = readId(reader, item.id);
  if (!id) {
    reader.sink.push(
      report(
        'ITEM_ID_MISSING',
        'error',
        item.at,
        `baris ${group.itemLabel.id} ini tidak punya ID. Isi kolom ID dengan kode unik, mis. INV-1.`,
        `this ${group.itemLabel.en} row has no ID. Fill in the ID column with a unique code, e.g. INV-1.`,
      ),
    );
    return undefined;
  }
  const itemPath = path.item(group.id, index);
  sources.set(itemPath, item.at);
  if (item.id) sources.set(path.field(itemPath, 'id'), item.id.at);
  const out: Record<string, unknown> = { id };
  const name = readText(reader, item.name);
  if (item.name) sources.set(path.field(itemPath, 'name'), item.name.at);
  if (name) out.name = name;
  const status = readStatus(reader, item.status);
  if (item.status) sources.set(path.field(itemPath, 'status'), item.status.at);
  if (status) out.status = status;

  for (const field of group.fields) {
    const cell = item.fields.get(field.key);
    if (!cell) continue;
    sources.set(path.field(itemPath, field.key), cell.at);
    const label = field.label.id;
    const value =
      field.type === 'year'
        ? readYear(reader, cell, label)
        : field.type === 'code'
          ? normalizeCode(readText(reader, cell), knownCodeValues(methodology, group, field.key))
          : readText(reader, cell);
    if (value !== undefined && value !== '') out[field.key] = value;
  }

  const answers: Record<string, AnswerInput> = {};
  for (const answer of item.answers) {
    const answerPath = path.itemAnswer(itemPath, answer.code);
    sources.set(answerPath, answer.at);
    const evidenceAt = answer.evidence?.at ?? answer.evidenceAt;
    if (evidenceAt) sources.set(path.evidence(answerPath), evidenceAt);
    if (!isPlaced(placement, answer.code, group.id)) {
      const misplaced = misplacedIndicator(placement, answer.code, { group: group.id }, answer.at);
      if (misplaced) reader.sink.push(misplaced);
      continue;
    }
    const indicator = placement.byCode.get(answer.code);
    const value = indicator && interpretAnswer(reader, indicator, answer);
    if (value) answers[answer.code] = value;
  }
  out.indicators = answers;
  return out;
}

/** Codes in the methodology's spelling (see #domain/spelling); an empty cell stays empty. */
const normalizeCode = (text: string | undefined, known: readonly string[]): string | undefined =>
  text === undefined ? undefined : normaliseCode(text, known);
