/**
 * A problem a person can act on: what is wrong, where, and how to fix it, in Bahasa Indonesia
 * and English. Validation reports, methodology errors and engine warnings all use this shape.
 */
export interface ProblemLocation {
  file?: string;
  sheet?: string;
  row?: number;
  column?: string;
  indicator?: string;
  /** Path inside a JSON document, e.g. `root.children[1].weight` or `groups.inovasi[3].id`. */
  path?: string;
}

export type Severity = 'error' | 'warning';

export interface Problem {
  code: string;
  severity: Severity;
  location: ProblemLocation;
  message_id: string;
  message_en: string;
}

export function problem(
  code: string,
  severity: Severity,
  location: ProblemLocation,
  message_id: string,
  message_en: string,
): Problem {
  return { code, severity, location, message_id, message_en };
}

export const hasErrors = (problems: readonly Problem[]): boolean =>
  problems.some((p) => p.severity === 'error');

/** A typed failure carrying every problem found, never only the first. */
export class ProblemError extends Error {
  constructor(
    readonly kind: string,
    readonly problems: Problem[],
  ) {
    super(problems.map((p) => `${p.code}: ${p.message_en}`).join('; '));
    this.name = 'ProblemError';
  }
}

/** Readable "where" for people: `sheet "Inovasi", row 12, column E, indicator 17`. */
export function describeLocation(location: ProblemLocation): { id: string; en: string } {
  const id: string[] = [];
  const en: string[] = [];
  if (location.file) {
    id.push(`berkas "${location.file}"`);
    en.push(`file "${location.file}"`);
  }
  if (location.sheet) {
    id.push(`lembar "${location.sheet}"`);
    en.push(`sheet "${location.sheet}"`);
  }
  if (location.row !== undefined) {
    id.push(`baris ${location.row}`);
    en.push(`row ${location.row}`);
  }
  if (location.column) {
    id.push(`kolom ${location.column}`);
    en.push(`column ${location.column}`);
  }
  if (location.indicator) {
    id.push(`indikator ${location.indicator}`);
    en.push(`indicator ${location.indicator}`);
  }
  if (location.path) {
    id.push(`jalur ${location.path}`);
    en.push(`path ${location.path}`);
  }
  return { id: id.join(', '), en: en.join(', ') };
}
