import { formatWib } from './cycle';

/**
 * Upload grants (issue 9 §3): what lands is what was granted, on time. Pure: the caller passes the
 * grant found for the object's upload id, the object as S3 reported it and the window's end.
 */

/** The terms of a grant that ingestion checks (the grant record has more: who, when). */
export interface GrantTerms {
  key: string;
  minBytes: number;
  maxBytes: number;
}

export type Admission =
  | { admitted: true }
  | { admitted: false; status: 'NOT_GRANTED' | 'LATE'; reason_id: string; reason_en: string };

/**
 * Whether an object that landed counts: it must match a grant (the exact key the policy pinned,
 * a size within the granted range) and have arrived before the window's end (deadline + grace).
 * The grant's own expiry is enforced by S3 when the upload starts; lateness is judged here by the
 * object's arrival time, so a long upload started in time is not late for a slow network, and a
 * grant cannot stretch the window.
 */
export function admitObject(input: {
  grant: GrantTerms | undefined;
  key: string;
  size: number | undefined;
  arrivedAt: Date;
  windowEndsAt: number;
}): Admission {
  const { grant, key, size, arrivedAt } = input;
  if (!grant)
    return {
      admitted: false,
      status: 'NOT_GRANTED',
      reason_id: 'Tidak ada izin unggah untuk berkas ini; berkas tidak dinilai.',
      reason_en: 'No upload grant matches this file; it is not scored.',
    };
  if (grant.key !== key)
    return {
      admitted: false,
      status: 'NOT_GRANTED',
      reason_id: 'Lokasi berkas berbeda dari yang diizinkan; berkas tidak dinilai.',
      reason_en: 'The file landed at another key than the one granted; it is not scored.',
    };
  if (size === undefined || size < grant.minBytes || size > grant.maxBytes)
    return {
      admitted: false,
      status: 'NOT_GRANTED',
      reason_id: `Ukuran berkas (${size ?? '?'} bita) di luar batas izin ${grant.minBytes}–${grant.maxBytes} bita; berkas tidak dinilai.`,
      reason_en: `The file size (${size ?? '?'} bytes) is outside the granted ${grant.minBytes}–${grant.maxBytes} bytes; it is not scored.`,
    };
  if (arrivedAt.getTime() >= input.windowEndsAt) {
    const end = new Date(input.windowEndsAt).toISOString();
    return {
      admitted: false,
      status: 'LATE',
      reason_id: `Berkas tiba ${formatWib(arrivedAt.toISOString())}, setelah jendela pengajuan ditutup (${formatWib(end)}); disimpan tetapi tidak dinilai.`,
      reason_en: `The file arrived ${formatWib(arrivedAt.toISOString())}, after the submission window closed (${formatWib(end)}); kept but not scored.`,
    };
  }
  return { admitted: true };
}

/**
 * A grant's lifetime in whole seconds: the requested one, cut so it never outlives the window's
 * end (deadline + declared grace). Zero or less means the window has no time left to grant.
 */
export function grantSeconds(requestedSeconds: number, nowMs: number, windowEndsAtMs: number): number {
  return Math.min(requestedSeconds, Math.floor((windowEndsAtMs - nowMs) / 1000));
}
