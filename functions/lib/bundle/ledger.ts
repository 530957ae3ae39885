import type { Repositories } from '#adapters/dynamo/index';
import type { BundleLedger } from './build';

/** The bundle's ledger port over the cycle's ledger repository (entries exactly as stored). */
export function ledgerFromRepositories(repos: Pick<Repositories, 'ledger'>): BundleLedger {
  return {
    entriesUpTo: (cycleId, seq) => repos.ledger.list(cycleId, seq === undefined ? {} : { upToSeq: seq }),
  };
}
