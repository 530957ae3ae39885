import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LoadedMethodology } from '#domain/methodology/load';
import { getMethodology } from '#domain/methodology/registry';
import { type Submission, submissionSchema } from '#domain/submission';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const EXAMPLES_DIR = `${ROOT}examples/`;
export const METHODOLOGIES_DIR = `${ROOT}methodologies/`;

export function methodology(id: string): LoadedMethodology {
  const m = getMethodology(id);
  if (!m) throw new Error(`methodology ${id} is not registered`);
  return m;
}

export const exampleFiles = (): string[] =>
  readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();

/** An example as it sits in the file, for tests that change it before parsing. */
export interface RawSubmission {
  methodology: string;
  region: string;
  period: number;
  profile: Record<string, string>;
  indicators: Record<string, Record<string, unknown>>;
  groups?: Record<string, Array<Record<string, unknown> & { id: string; status?: string }>>;
  survey?: { respondents: Array<{ id: string; role?: string; answers: Record<string, number | null> }> };
}

export const readExample = (file: string): RawSubmission =>
  JSON.parse(readFileSync(`${EXAMPLES_DIR}${file}`, 'utf8')) as RawSubmission;

export const parseSubmission = (raw: RawSubmission): Submission => submissionSchema.parse(raw);

export const loadExample = (file: string): Submission => parseSubmission(readExample(file));

/** A parsed copy of an example after `change` edits its file form. */
export function exampleWith(file: string, change: (raw: RawSubmission) => void): Submission {
  const raw = readExample(file);
  change(raw);
  return parseSubmission(raw);
}

export const readMethodologyJson = (id: string): Record<string, unknown> =>
  JSON.parse(readFileSync(`${METHODOLOGIES_DIR}${id}.json`, 'utf8')) as Record<string, unknown>;
