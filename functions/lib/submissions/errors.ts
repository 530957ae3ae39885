/**
 * Errors of the submission pipeline as Step Functions sees them: the Lambda error type is the
 * error's `name`. `TransientError` is retried by every task (infra/constructs/retry.ts); any other
 * name is caught into RecordFailure, which marks the submission FAILED with the reason.
 */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

export type PipelineErrorCode =
  | 'BadInput'
  | 'SubmissionNotFound'
  | 'CycleNotFound'
  | 'MethodologyUnavailable'
  | 'ObjectMissing'
  | 'NotAccepted'
  | 'StatusConflict';

/** A failure retrying cannot fix; the code becomes the Step Functions error name. */
export class PipelineError extends Error {
  constructor(
    readonly code: PipelineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

const TRANSIENT_NAMES = new Set([
  'TransientError',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'SlowDown',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/** Throttling, 5xx and connection failures of AWS SDK calls: worth another attempt. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (TRANSIENT_NAMES.has(error.name)) return true;
  const code = Reflect.get(error, 'code');
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  const metadata: unknown = Reflect.get(error, '$metadata');
  const status =
    typeof metadata === 'object' && metadata !== null ? Reflect.get(metadata, 'httpStatusCode') : undefined;
  return typeof status === 'number' && status >= 500;
}

/** Runs a pipeline step; a dependency hiccup leaves as `TransientError` so the state machine retries it. */
export async function retryable<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (isTransient(error) && !(error instanceof TransientError))
      throw new TransientError(error instanceof Error ? `${error.name}: ${error.message}` : String(error), {
        cause: error,
      });
    throw error;
  }
}
