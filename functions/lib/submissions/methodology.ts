import type { CycleRecord } from '#adapters/dynamo/index';
import { InternalError } from '#domain/errors';
import type { LoadedMethodology } from '#domain/methodology/load';

export type MethodologyLookup = (id: string) => LoadedMethodology | undefined;

/**
 * The methodology a cycle was opened with, exactly: same id and same content hash. A deployment
 * whose methodology file differs from the cycle's would validate and score with other rules, so it
 * fails loudly instead (every result must be reproducible from the methodology it names).
 */
export function cycleMethodology(cycle: CycleRecord, lookup: MethodologyLookup): LoadedMethodology {
  const methodology = lookup(cycle.methodology.id);
  if (!methodology)
    throw new InternalError(
      'MethodologyUnavailable',
      `methodology ${cycle.methodology.id} of cycle ${cycle.cycleId} is not deployed`,
    );
  if (methodology.hash !== cycle.methodology.hash)
    throw new InternalError(
      'MethodologyUnavailable',
      `methodology ${cycle.methodology.id} is deployed with hash ${methodology.hash}, cycle ${cycle.cycleId} names ${cycle.methodology.hash}`,
    );
  return methodology;
}
