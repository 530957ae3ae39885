import type { Problem } from '#domain/problems';

/**
 * An error a client can act on: status, a stable code and what to do, in Bahasa Indonesia and
 * English. Anything else that escapes a handler becomes a 500 with no internals.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    readonly message_id: string,
    readonly message_en: string,
    readonly problems?: Problem[],
  ) {
    super(message_en);
    this.name = 'HttpError';
  }
}

export const notFound = (what_id: string, what_en: string): HttpError =>
  new HttpError(404, 'NOT_FOUND', `${what_id} tidak ditemukan.`, `${what_en} was not found.`);

export const forbidden = (why_id: string, why_en: string): HttpError =>
  new HttpError(403, 'FORBIDDEN', why_id, why_en);

export const badRequest = (
  code: string,
  message_id: string,
  message_en: string,
  problems?: Problem[],
): HttpError => new HttpError(400, code, message_id, message_en, problems);

export const conflict = (code: string, message_id: string, message_en: string): HttpError =>
  new HttpError(409, code, message_id, message_en);
