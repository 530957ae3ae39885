import type * as z from 'zod';
import { type Problem, ProblemError, problem } from '../problems';
import { canonicalJson, sha256Hex } from './canonical-json';
import { checkConsistency } from './consistency';
import { type Methodology, methodologySchema } from './schema';

export interface LoadedMethodology extends Methodology {
  /** `sha256:<hex>` of the normalized methodology; every result cites it. */
  hash: string;
}

/** Validates a methodology document (schema, then consistency) and stamps its content hash. */
export function parseMethodology(input: unknown, source = 'methodology'): LoadedMethodology {
  const parsed = methodologySchema.safeParse(input);
  if (!parsed.success) throw new ProblemError('methodology', zodProblems(parsed.error, source));
  const { $schema: _ignored, ...methodology } = parsed.data;
  const problems = checkConsistency(methodology, source);
  if (problems.some((p) => p.severity === 'error')) throw new ProblemError('methodology', problems);
  return { ...methodology, hash: `sha256:${sha256Hex(canonicalJson(methodology))}` };
}

export function zodProblems(error: z.ZodError, file: string): Problem[] {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path);
    return problem(
      'SCHEMA_INVALID',
      'error',
      { file, path },
      `Isian tidak valid pada ${path || '(akar)'}: ${issue.message}`,
      `Invalid value at ${path || '(root)'}: ${issue.message}`,
    );
  });
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}
