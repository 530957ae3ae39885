import {
  describeLocation,
  type Problem,
  type ProblemLocation,
  problem,
  type Severity,
} from '#domain/problems';

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** Drops empty keys so locations compare and serialise cleanly. */
export function cleanLocation(location: ProblemLocation): ProblemLocation {
  const out: ProblemLocation = {};
  for (const [key, value] of Object.entries(location) as [keyof ProblemLocation, string | number][]) {
    if (value !== undefined && value !== '') Object.assign(out, { [key]: value });
  }
  return out;
}

/**
 * A problem whose message starts with where it is (sheet, row, column, indicator), so a report
 * pasted into a chat or printed still tells the operator which cell to fix.
 */
export function report(
  code: string,
  severity: Severity,
  location: ProblemLocation,
  messageId: string,
  messageEn: string,
): Problem {
  const at = cleanLocation(location);
  const where = describeLocation({ ...at, file: undefined });
  return problem(
    code,
    severity,
    at,
    where.id ? `${capitalise(where.id)}: ${messageId}` : messageId,
    where.en ? `${capitalise(where.en)}: ${messageEn}` : messageEn,
  );
}
