import { DomainError } from '#domain/errors';

export const cycleNotFound = (cycleId: string): DomainError =>
  new DomainError(
    'not-found',
    'NOT_FOUND',
    `Siklus ${cycleId} tidak ditemukan.`,
    `Cycle ${cycleId} was not found.`,
  );
