import { createHash } from 'node:crypto';
import type { MethodologyRef, S3ObjectRef } from '#adapters/dynamo/index';
import { type Problem, problem } from '#domain/problems';

/** The validation report written to `reports/…/{submissionId}.json` (problems in both languages). */
export interface ValidationReport {
  schema: 'indeks/validation-report@1';
  submissionId: string;
  cycleId: string;
  kode: string;
  fileName: string;
  object: S3ObjectRef;
  methodology: MethodologyRef;
  format?: string;
  valid: boolean;
  counts: { errors: number; warnings: number };
  problems: Problem[];
  /** Evidence files of the region known when this file was validated. */
  evidenceUploaded: number;
  /** The canonical submission (accepted uploads only) and the SHA-256 of its bytes. */
  canonical?: { key: string; sha256: string };
  validatedAt: string;
}

export function countProblems(problems: readonly Problem[]): { errors: number; warnings: number } {
  let errors = 0;
  for (const p of problems) if (p.severity === 'error') errors += 1;
  return { errors, warnings: problems.length - errors };
}

export const sha256 = (bytes: string | Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex');

const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MB`;

/** An upload above the size cap is refused without reading it (the policy should have stopped it). */
export function tooLargeProblem(fileName: string, size: number, maxBytes: number): Problem {
  return problem(
    'FILE_TOO_LARGE',
    'error',
    { file: fileName },
    `Berkas berukuran ${mb(size)}, melebihi batas ${mb(maxBytes)}. Hapus lembar atau gambar yang tidak perlu lalu unggah kembali.`,
    `The file is ${mb(size)}, above the ${mb(maxBytes)} limit. Remove unneeded sheets or images and upload it again.`,
  );
}
