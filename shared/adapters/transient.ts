import { isServerError, isThrottlingError, isTransientError } from '@smithy/service-error-classification';
import { TransientError } from '#domain/errors';

/**
 * The one transient-error classification of Indeks: the AWS SDK's own. Throttling (DynamoDB
 * answers it with HTTP 400 and `ProvisionedThroughputExceededException`/`ThrottlingException`, S3
 * with 503 `SlowDown`), 5xx, timeouts and dropped connections are worth another attempt; anything
 * else is not. Every handler goes through `retryable`, so what the SDK's own retries could not
 * absorb leaves as `TransientError`, the one name the state machines' Retry matches
 * (`infra/constructs/retry.ts`).
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (typeof error !== 'object' || error === null || !(error instanceof Error)) return false;
  // The classifiers read `name`, `code`, `$metadata`, `$retryable` and `cause` of any error.
  const e = error as Parameters<typeof isTransientError>[0];
  return isThrottlingError(e) || isTransientError(e) || isServerError(e);
}

/** Rethrows a dependency hiccup as TransientError (keeping the cause), anything else as it is. */
export function asTransient(error: unknown, what: string): never {
  if (isTransient(error) && !(error instanceof TransientError))
    throw new TransientError(`${what}: ${describe(error)}`, { cause: error });
  throw error;
}

/** Runs a handler's work; a dependency hiccup leaves as `TransientError` so the state machine retries it. */
export async function retryable<T>(work: () => Promise<T>, what = 'dependency call'): Promise<T> {
  try {
    return await work();
  } catch (error) {
    return asTransient(error, what);
  }
}

/** S3 said the object is not there. */
export function isMissingObject(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || status === 404;
}

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
