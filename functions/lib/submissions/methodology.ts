import type { CycleRecord } from '#adapters/dynamo/index';
import type { LoadedMethodology } from '#domain/methodology/load';
import { frozenMethodology } from '#domain/methodology/registry';

export type MethodologyLookup = (id: string) => LoadedMethodology | undefined;

/** The methodology a cycle was opened with, exactly (see `frozenMethodology`). */
export const cycleMethodology = (cycle: CycleRecord, lookup: MethodologyLookup): LoadedMethodology =>
  frozenMethodology(cycle.methodology, lookup);
