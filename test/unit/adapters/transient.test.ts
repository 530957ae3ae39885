import { describe, expect, it } from 'vitest';
import { isTransient, retryable } from '#adapters/transient';
import { InternalError, TransientError } from '#domain/errors';

const named = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(name), { name }, extra);

describe('transient errors', () => {
  it('throttling, 5xx and dropped connections are transient; client errors are not', () => {
    expect(isTransient(named('ThrottlingException'))).toBe(true);
    expect(isTransient(named('ProvisionedThroughputExceededException'))).toBe(true);
    expect(isTransient(named('SlowDown'))).toBe(true);
    expect(isTransient(named('Whatever', { $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isTransient(named('Error', { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransient(named('NoSuchKey', { $metadata: { httpStatusCode: 404 } }))).toBe(false);
    expect(isTransient(named('ConditionalCheckFailedException'))).toBe(false);
    expect(isTransient(new InternalError('BadInput', 'x'))).toBe(false);
    expect(isTransient('boom')).toBe(false);
  });

  it('DynamoDB throttling is transient although it comes back as HTTP 400', () => {
    const throttled = named('ProvisionedThroughputExceededException', {
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    expect(isTransient(throttled)).toBe(true);
    expect(isTransient(named('ThrottlingException', { $metadata: { httpStatusCode: 400 } }))).toBe(true);
    expect(isTransient(named('ValidationException', { $metadata: { httpStatusCode: 400 } }))).toBe(false);
  });

  it('a transient cause keeps its wrapper transient, and the cause is kept for the log', async () => {
    const cause = named('SlowDown', { $metadata: { httpStatusCode: 503 } });
    const thrown = await retryable(async () => {
      throw cause;
    }, 'reading x').catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(TransientError);
    expect((thrown as Error).message).toBe('reading x: SlowDown: SlowDown');
    expect((thrown as Error).cause).toBe(cause);
  });

  it('retryable renames a transient failure to TransientError (what the state machine retries)', async () => {
    const thrown = await retryable(async () => {
      throw named('InternalServerError', { $metadata: { httpStatusCode: 500 } });
    }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(TransientError);
    expect((thrown as Error).name).toBe('TransientError');
    expect((thrown as Error).message).toContain('InternalServerError');
    const permanent = await retryable(async () => {
      throw new InternalError('NotAccepted', 'no');
    }).catch((e: unknown) => e);
    expect((permanent as Error).name).toBe('NotAccepted');
    expect(await retryable(async () => 42)).toBe(42);
  });
});
