import { vi } from 'vitest';

/**
 * What is written to stdout and stderr while `fn` runs, one parsed JSON object per line, in order
 * (Powertools' Logger and Metrics write JSON lines through their own Console: info and EMF to
 * stdout, warnings and errors to stderr). Other lines are skipped.
 */
export async function consoleJson(fn: () => unknown): Promise<Record<string, unknown>[]> {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  try {
    await fn();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The EMF documents among the lines: those that declare CloudWatch metrics. */
export const emfOf = (lines: Record<string, unknown>[]) => lines.filter((l) => '_aws' in l);
