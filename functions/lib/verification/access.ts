import type { Problem } from '#domain/problems';
import { assertCanSeeRegion, type Caller, hasRole } from '#http/auth';
import { badRequest, conflict, type DomainError, notFound } from '#http/errors';
import type { VerificationDeps } from './deps';

/** The ministry's roles: they see every region's verification. */
export const MINISTRY = ['admin', 'assessor', 'leadership'] as const;

/**
 * Who may read a region's answers and decisions: admin and leadership, its assigned assessors,
 * its own operator. Anyone else gets 404 (learns nothing about another region).
 */
export async function assertCanReadRegion(
  deps: VerificationDeps,
  caller: Caller,
  cycleId: string,
  kode: string,
) {
  assertCanSeeRegion(caller, kode);
  if (hasRole(caller, 'admin', 'leadership')) return;
  if (caller.roles.has('operator') && caller.region === kode) return;
  const a = await deps.repos.verification.getAssignment(cycleId, kode);
  if (a && (a.primary === caller.subject || a.second === caller.subject)) return;
  throw notFound(`Data wilayah ${kode}`, `Data of region ${kode}`);
}

/** A domain step's refusal as an HTTP error: its first problem's words, every problem attached. */
export function refusal(
  problems: readonly Problem[],
  fallback: string,
  kind: 'conflict' | 'invalid',
): DomainError {
  const [p] = problems;
  const code = p?.code ?? fallback;
  return kind === 'conflict'
    ? conflict(code, p?.message_id ?? '', p?.message_en ?? '')
    : badRequest(code, p?.message_id ?? '', p?.message_en ?? '', [...problems]);
}
