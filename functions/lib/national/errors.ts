/**
 * Errors of the national run. `TransientError` is retried by the state machine's task retry
 * policy (docs/architecture.md); any other error fails the step and the run is marked FAILED.
 */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/** A contract violation or a state the run cannot continue from (not retried). */
export class NationalRunError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

interface AwsErrorShape {
  name?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

/** S3 said the object is not there. */
export function isMissingObject(error: unknown): boolean {
  const e = error as AwsErrorShape | undefined;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/** Throttling, 5xx and network failures: worth another attempt. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as AwsErrorShape;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429 || e.name === 'SlowDown';
  return (
    Boolean(e.$retryable) || /ECONNRESET|ETIMEDOUT|ECONNREFUSED|EPIPE|socket hang up/i.test(error.message)
  );
}

/** Rethrows a dependency hiccup as TransientError (retried by the state machine), anything else as is. */
export function asTransient(error: unknown, what: string): never {
  if (isTransient(error)) throw new TransientError(`${what}: ${(error as Error).message}`, { cause: error });
  throw error;
}
