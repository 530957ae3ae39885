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
      `Isian tidak valid pada ${path || '(akar)'}: ${indonesian(issue)}`,
      `Invalid value at ${path || '(root)'}: ${english(issue)}`,
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

/** zod speaks English; operators read Bahasa Indonesia first. Custom messages pass through. */
function indonesian(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `wajib diisi (${issue.expected})`
        : `tipe tidak sesuai: seharusnya ${issue.expected}`;
    case 'too_small':
      return `terlalu kecil: minimal ${String(issue.minimum)}`;
    case 'too_big':
      return `terlalu besar: maksimal ${String(issue.maximum)}`;
    case 'invalid_value':
      return `nilai tidak dikenal; pilihan: ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return `kunci tidak dikenal: ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'bentuk isian tidak sesuai salah satu pilihan yang sah';
    default:
      return issue.message.split(' | ')[0] ?? issue.message;
  }
}

/** Custom messages are written "Bahasa Indonesia | English". */
const english = (issue: z.core.$ZodIssue): string => issue.message.split(' | ').at(-1) ?? issue.message;
