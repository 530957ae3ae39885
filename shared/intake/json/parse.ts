import type { Problem } from '#domain/problems';
import type { Respondent, Submission } from '#domain/submission';
import { normalise } from '../assemble';
import { report } from '../report';
import { decodeText } from '../text';

/** A cap on the values a JSON file may hold, and the problem that refuses one above it. */
export interface JsonLimit {
  maxEntries: number;
  refuse: () => Problem;
}

/**
 * Whether `value` holds more than `cap` values (array elements and object members at any depth),
 * walked without recursion so a deeply nested file cannot overflow the stack, stopping at the cap.
 */
export function exceedsEntries(value: unknown, cap: number): boolean {
  const stack: unknown[] = [value];
  let count = 0;
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next !== 'object' || next === null) continue;
    const children = Array.isArray(next) ? next : Object.values(next);
    count += children.length;
    if (count > cap) return true;
    for (const child of children) if (typeof child === 'object' && child !== null) stack.push(child);
  }
  return false;
}

/**
 * Parses JSON text, reporting a syntax error with its line and column instead of throwing, and
 * refusing a file with more values than any legal submission (before the schema walks them all).
 */
export function parseJsonText(
  bytes: Uint8Array,
  limit?: JsonLimit,
): { value?: unknown; problems: Problem[] } {
  const { text } = decodeText(bytes);
  try {
    const value = JSON.parse(text) as unknown;
    if (limit && exceedsEntries(value, limit.maxEntries)) return { problems: [limit.refuse()] };
    return { value, problems: [] };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message)?.[1];
    const location = position === undefined ? {} : lineOf(text, Number(position));
    return {
      problems: [
        report(
          'JSON_INVALID',
          'error',
          location,
          `JSON tidak sah (${message.slice(0, 120)}). Periksa koma, tanda kutip, dan kurung di sekitar posisi ini.`,
          `invalid JSON (${message.slice(0, 120)}). Check commas, quotes and brackets around this position.`,
        ),
      ],
    };
  }
}

const lineOf = (text: string, position: number): { row: number; column: string } => {
  const before = text.slice(0, position);
  const row = before.split('\n').length;
  return { row, column: String(position - before.lastIndexOf('\n')) };
};

/** The canonical submission format itself: schema-checked, then validated like any other format. */
export function submissionFromJson(
  bytes: Uint8Array,
  limit?: JsonLimit,
): { submission?: Submission; problems: Problem[] } {
  const parsed = parseJsonText(bytes, limit);
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  return normalise(parsed.value, undefined, []);
}

/**
 * Survey respondents as JSON: either `[{id, role, answers}]` or `{"respondents": [...]}` (the
 * canonical `survey` member), validated by the canonical schema.
 */
export function respondentsFromJson(
  bytes: Uint8Array,
  frame: Pick<Submission, 'methodology' | 'region' | 'period'>,
  limit?: JsonLimit,
): { respondents?: Respondent[]; problems: Problem[] } {
  const parsed = parseJsonText(bytes, limit);
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  const value = parsed.value;
  const respondents = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null
      ? (value as { respondents?: unknown }).respondents
      : undefined;
  const result = normalise({ ...frame, survey: { respondents } }, undefined, []);
  return result.submission?.survey
    ? { respondents: result.submission.survey.respondents, problems: result.problems }
    : { problems: result.problems };
}
