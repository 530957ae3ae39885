import { createHash } from 'node:crypto';
import type { LedgerPort, SubmissionRecord } from '#adapters/dynamo/index';
import { SYSTEM_ACTOR } from '#domain/ledger/index';

export interface ValidationRecord {
  submission: SubmissionRecord;
  key: string;
  versionId?: string | null;
  /** The bytes validation read (absent when the object was refused unread above the size cap). */
  bytes?: Buffer;
  valid: boolean;
  counts: { errors: number; warnings: number };
  canonicalSha256?: string;
  at: Date;
}

/**
 * The ledger entries of one validated upload: the upload itself (object key, version id, sha256
 * of the bytes read) and the validation outcome. Keyed by the object version and the submission,
 * so a retried task records each once.
 */
export async function recordValidation(ledger: LedgerPort, r: ValidationRecord): Promise<void> {
  const { submission: s } = r;
  const subject = { region: s.kode, submission: s.submissionId, key: r.key };
  const version = r.versionId ?? undefined;
  await ledger.append(s.cycleId, {
    action: 'upload.accepted',
    actor: s.uploadedBy ? { sub: s.uploadedBy, role: 'operator' } : SYSTEM_ACTOR,
    at: s.uploadedAt,
    subject,
    after: {
      ...(version ? { versionId: version } : {}),
      ...(r.bytes
        ? { sha256: createHash('sha256').update(r.bytes).digest('hex'), size: r.bytes.length }
        : {}),
      ...(s.fileName ? { fileName: s.fileName } : {}),
    },
    idempotencyKey: `upload:${r.key}:${version ?? s.submissionId}`,
  });
  await ledger.append(s.cycleId, {
    action: r.valid ? 'validation.accepted' : 'validation.rejected',
    actor: SYSTEM_ACTOR,
    at: r.at.toISOString(),
    subject,
    after: {
      errors: r.counts.errors,
      warnings: r.counts.warnings,
      ...(r.canonicalSha256 ? { canonicalSha256: r.canonicalSha256 } : {}),
    },
    idempotencyKey: `validation:${s.cycleId}:${s.submissionId}`,
  });
}
