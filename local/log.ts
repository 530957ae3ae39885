/** Where the runtime reports what it does; handlers keep logging to stdout as they do in Lambda. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const consoleLogger: Logger = {
  debug: () => {},
  info: (m) => process.stderr.write(`[indeks] ${m}\n`),
  warn: (m) => process.stderr.write(`[indeks] PERINGATAN/WARNING ${m}\n`),
  error: (m) => process.stderr.write(`[indeks] GALAT/ERROR ${m}\n`),
};

export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
