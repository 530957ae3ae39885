import { describeLocation, type Problem, ProblemError } from '#domain/problems';

/** Wrong usage: exit code 2. */
export class UsageError extends Error {
  constructor(
    readonly message_id: string,
    readonly message_en: string,
  ) {
    super(message_en);
  }
}

export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const consoleOutput: Output = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export function formatProblem(p: Problem): string {
  const where = describeLocation(p.location);
  const at = (text: string) => (text ? ` [${text}]` : '');
  return `${p.severity === 'error' ? 'GALAT/ERROR' : 'PERINGATAN/WARNING'} ${p.code}${at(where.en)}\n  ${p.message_id}\n  ${p.message_en}`;
}

/** Maps any failure to an exit code and a message people can act on; never a stack trace. */
export function reportFailure(error: unknown, io: Output, json: boolean): number {
  if (error instanceof UsageError) {
    io.err(`${error.message_id}\n${error.message_en}\nLihat/see: indeks --help`);
    return EXIT_USAGE;
  }
  if (error instanceof ProblemError) {
    if (json) io.out(JSON.stringify({ ok: false, problems: error.problems }, null, 2));
    else for (const p of error.problems) io.err(formatProblem(p));
    return EXIT_INVALID;
  }
  const detail = error instanceof Error ? error.message : String(error);
  io.err(`Terjadi kesalahan tak terduga: ${detail}\nUnexpected failure: ${detail}`);
  return EXIT_INVALID;
}
