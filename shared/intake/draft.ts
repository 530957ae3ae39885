import type { ProblemLocation } from '#domain/problems';
import type { MetaKey } from './layout';
import type { RawCell } from './table';

/**
 * What a tabular file (XLSX template or CSV) said, cell by cell, before interpretation. Both
 * formats produce a Draft so that levels, numbers, years and statuses are read by one piece of
 * code (`assemble`) with the same messages.
 */
export interface DraftAnswer {
  code: string;
  /** Where the answer belongs (the row; the input column when there is one). */
  at: ProblemLocation;
  input?: RawCell;
  evidence?: RawCell;
  /** Where the evidence name goes, for "evidence missing" when the cell is empty. */
  evidenceAt?: ProblemLocation;
  status?: RawCell;
}

export interface DraftItem {
  at: ProblemLocation;
  id?: RawCell;
  name?: RawCell;
  status?: RawCell;
  fields: Map<string, RawCell>;
  answers: DraftAnswer[];
}

export interface Draft {
  meta: Map<MetaKey, RawCell>;
  profile: Map<string, RawCell>;
  /** Where each profile field's row is, answered or not. */
  profileRows: Map<string, ProblemLocation>;
  indicators: DraftAnswer[];
  groups: Map<string, DraftItem[]>;
}

export const emptyDraft = (): Draft => ({
  meta: new Map(),
  profile: new Map(),
  profileRows: new Map(),
  indicators: [],
  groups: new Map(),
});
