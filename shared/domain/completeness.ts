/**
 * Where a region stands in a cycle's submission window, for the province's completeness view
 * ("which of our kabupaten/kota have not sent anything yet?"). Pure: reads the region's two
 * pointers, the latest upload and the current (latest accepted) one.
 */

export type CompletenessStatus =
  /** Nothing uploaded. */
  | 'not-submitted'
  /** An upload is being validated and nothing was accepted before. */
  | 'in-progress'
  /** The latest upload was rejected (problems in its report) and nothing was accepted before. */
  | 'rejected'
  /** Processing the latest upload failed and nothing was accepted before. */
  | 'failed'
  /** An accepted upload counts; its provisional score is being computed. */
  | 'accepted'
  /** An accepted upload counts and has its provisional score card. */
  | 'scored';

export const COMPLETENESS_STATUSES: readonly CompletenessStatus[] = [
  'not-submitted',
  'in-progress',
  'rejected',
  'failed',
  'accepted',
  'scored',
];

export interface RegionPointers {
  latest?: { status: string };
  current?: { status: string };
}

/** An accepted upload always counts, whatever was uploaded after it; otherwise the latest decides. */
export function completenessOf(pointers: RegionPointers | undefined): CompletenessStatus {
  const current = pointers?.current?.status;
  if (current === 'SCORED') return 'scored';
  if (current === 'ACCEPTED') return 'accepted';
  switch (pointers?.latest?.status) {
    case undefined:
      return 'not-submitted';
    case 'REJECTED':
      return 'rejected';
    case 'FAILED':
      return 'failed';
    default:
      return 'in-progress';
  }
}

/** Whether the region has something that counts for the national run. */
export const isComplete = (status: CompletenessStatus): boolean =>
  status === 'accepted' || status === 'scored';
