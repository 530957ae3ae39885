import { DomainError, type DomainErrorKind } from '#domain/errors';
import type { Problem } from '#domain/problems';

// The error classes live in one place (#domain/errors); the HTTP API only maps them to answers.
export { badRequest, conflict, DomainError, forbidden, notFound } from '#domain/errors';

export const HTTP_STATUS: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'rate-limited': 429,
};

/** What the client is told, and the original error kept for the log (never sent). */
export interface HttpProblem {
  statusCode: number;
  code: string;
  message_id: string;
  message_en: string;
  problems?: Problem[];
  cause: unknown;
}

const INTERNAL = {
  statusCode: 500,
  code: 'INTERNAL',
  message_id:
    'Terjadi kesalahan di server; silakan coba lagi. Bila berulang, hubungi admin dengan waktu kejadian.',
  message_en:
    'Something went wrong on the server; please try again. If it persists, contact the admin with the time it happened.',
} as const;

/**
 * A domain problem keeps its status and words; a middy 4xx (a malformed header) is an invalid
 * request; anything else (transient or internal) is a 500 with no internals.
 */
export function toHttpError(error: unknown): HttpProblem {
  if (error instanceof DomainError)
    return {
      statusCode: HTTP_STATUS[error.kind],
      code: error.code,
      message_id: error.message_id,
      message_en: error.message_en,
      ...(error.problems ? { problems: error.problems } : {}),
      cause: error,
    };
  if (isMiddyHttpError(error))
    return {
      statusCode: error.statusCode,
      code: 'INVALID_REQUEST',
      message_id: 'Permintaan tidak sah.',
      message_en: error.message,
      cause: error,
    };
  return { ...INTERNAL, cause: error };
}

function isMiddyHttpError(error: unknown): error is Error & { statusCode: number } {
  return (
    error instanceof Error &&
    'statusCode' in error &&
    typeof error.statusCode === 'number' &&
    error.statusCode >= 400 &&
    error.statusCode < 500
  );
}
