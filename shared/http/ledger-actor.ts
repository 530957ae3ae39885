import type { LedgerActor } from '#domain/ledger/index';
import type { Caller, Role } from './auth';

/**
 * Who acted, for the ledger: the token's subject and the role the action was allowed under (the
 * first of `allowedAs` the caller holds). Never the token itself.
 */
export function ledgerActor(caller: Caller, ...allowedAs: Role[]): LedgerActor {
  const role = allowedAs.find((r) => caller.roles.has(r)) ?? [...caller.roles][0] ?? 'unknown';
  return { sub: caller.subject, role };
}
