import type { Problem } from '#domain/problems';
import { HttpError } from '#http/errors';

/** A typed refusal of the cycles core; api-cycles maps it to an HTTP problem. */
export class CycleError extends Error {
  constructor(
    readonly kind: 'invalid' | 'not-found' | 'conflict',
    readonly code: string,
    readonly message_id: string,
    readonly message_en: string,
    readonly problems?: Problem[],
  ) {
    super(message_en);
    this.name = 'CycleError';
  }
}

const STATUS = { invalid: 400, 'not-found': 404, conflict: 409 } as const;

export function toHttpError(error: unknown): unknown {
  if (!(error instanceof CycleError)) return error;
  return new HttpError(STATUS[error.kind], error.code, error.message_id, error.message_en, error.problems);
}

export const cycleNotFound = (cycleId: string): CycleError =>
  new CycleError(
    'not-found',
    'NOT_FOUND',
    `Siklus ${cycleId} tidak ditemukan.`,
    `Cycle ${cycleId} was not found.`,
  );
