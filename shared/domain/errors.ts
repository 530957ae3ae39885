import type { Problem } from './problems';

/**
 * The one error hierarchy of Indeks, by what the caller can do about it:
 *
 * - `DomainError`: a problem the client can fix (bad input, not found, a conflicting state, not
 *   allowed). The HTTP API answers it with its 4xx status and its bilingual words
 *   (`#http/errors` `toHttpError`); in a pipeline step its `code` is the error name.
 * - `TransientError`: a dependency hiccup (throttling, 5xx, a dropped connection) worth another
 *   attempt. Which SDK errors are transient is decided once, in `#adapters/transient`; Step
 *   Functions retries the name `TransientError` (`infra/constructs/retry.ts`).
 * - `InternalError`: a state a step cannot continue from (a broken contract, a record that should
 *   exist). Its `code` is the error's name, which Step Functions sees as the Lambda error type and
 *   catches; over HTTP it is a 500 that says nothing about internals.
 *
 * Every class takes the `cause`, so the log keeps the original error.
 */
export type DomainErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'rate-limited';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    readonly message_id: string,
    readonly message_en: string,
    readonly problems?: Problem[],
    options?: { cause?: unknown },
  ) {
    super(message_en, options);
    // The code is the name, as for InternalError: what Step Functions and the logs show.
    this.name = code;
  }
}

export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

export class InternalError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = code;
  }
}

export const notFound = (what_id: string, what_en: string): DomainError =>
  new DomainError('not-found', 'NOT_FOUND', `${what_id} tidak ditemukan.`, `${what_en} was not found.`);

export const forbidden = (why_id: string, why_en: string): DomainError =>
  new DomainError('forbidden', 'FORBIDDEN', why_id, why_en);

export const badRequest = (
  code: string,
  message_id: string,
  message_en: string,
  problems?: Problem[],
): DomainError => new DomainError('invalid', code, message_id, message_en, problems);

export const conflict = (code: string, message_id: string, message_en: string): DomainError =>
  new DomainError('conflict', code, message_id, message_en);
