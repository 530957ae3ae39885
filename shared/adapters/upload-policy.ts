import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost, type PresignedPost } from '@aws-sdk/s3-presigned-post';
import { type Problem, ProblemError, problem } from '#domain/problems';
import { regionCodeSchema } from '#domain/submission';
import { CONTENT_TYPES_OF, formatOfContentType, formatOfFileName } from '#intake/detect';
import { sanitizeFileName } from '#intake/file-name';
import { nowMs } from './clock';

/** `objection`: new evidence for an objection (sanggah), taken during the sanggah window only. */
export type UploadKind = 'data' | 'evidence' | 'objection';

export interface KindLimits {
  maxBytes: number;
  /** Exact content types accepted for this kind (lower case, no parameters). */
  contentTypes: readonly string[];
}
export type UploadLimits = Record<UploadKind, KindLimits>;

const MB = 1024 * 1024;

/** The defaults: 10 MB data files (XLSX, CSV, JSON), 25 MB evidence (PDF, images). */
export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  data: {
    maxBytes: 10 * MB,
    contentTypes: [...new Set([...CONTENT_TYPES_OF.xlsx, ...CONTENT_TYPES_OF.csv, ...CONTENT_TYPES_OF.json])],
  },
  evidence: { maxBytes: 25 * MB, contentTypes: ['application/pdf', 'image/jpeg', 'image/png'] },
  objection: { maxBytes: 25 * MB, contentTypes: ['application/pdf', 'image/jpeg', 'image/png'] },
};

export const MIN_EXPIRY_SECONDS = 60;
export const MAX_EXPIRY_SECONDS = 900;
export const DEFAULT_EXPIRY_SECONDS = 600;

export interface UploadPostInput {
  client: S3Client;
  bucket: string;
  cycleId: string;
  region: string;
  /** Server-generated (e.g. a ULID); never taken from the client. */
  uploadId: string;
  fileName: string;
  contentType: string;
  /** Size the client declares; refused early when above the limit, enforced by the policy anyway. */
  size: number;
  kind: UploadKind;
  limits?: UploadLimits;
  expiresSeconds?: number;
  /** Cuts the policy's lifetime (seconds), e.g. so a grant never outlives the submission window. */
  maxExpirySeconds?: number;
  /** The product's clock, for the `expiresAt` handed back (defaults to the process clock). */
  now?: Date;
  /** SSE-KMS with this key when given, otherwise SSE-S3 (AES256). */
  kmsKeyId?: string;
}

export interface UploadPost extends PresignedPost {
  key: string;
  fileName: string;
  expiresAt: string;
  minBytes: number;
  maxBytes: number;
}

/** Every upload is at least one byte (the policy's content-length-range starts here). */
export const MIN_UPLOAD_BYTES = 1;

const EVIDENCE_EXTENSIONS: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

/** The name's extension must agree with the declared type, so a renamed file is refused before it is sent. */
function extensionAgrees(kind: UploadKind, fileName: string, contentType: string): boolean {
  if (kind === 'data') {
    const byName = formatOfFileName(fileName);
    return byName !== undefined && byName === formatOfContentType(contentType);
  }
  const extension = fileName.split('.').pop()?.toLowerCase() ?? '';
  return EVIDENCE_EXTENSIONS[extension] === contentType;
}

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * A presigned POST for one upload. The object key is built here (`submissions/{cycle}/{kode}/
 * {uploadId}/{sanitized name}`), so a client cannot choose where its bytes land; the policy pins the
 * key, the exact content type, the size range of the kind and server-side encryption, and expires
 * within minutes. Invalid requests throw a ProblemError with bilingual problems (HTTP 400).
 */
export async function buildUploadPost(input: UploadPostInput): Promise<UploadPost> {
  const limits = (input.limits ?? DEFAULT_UPLOAD_LIMITS)[input.kind];
  const contentType = input.contentType.trim().toLowerCase();
  const expires = input.expiresSeconds ?? DEFAULT_EXPIRY_SECONDS;
  const problems = checkRequest(input, limits, contentType, expires);
  if (problems.length > 0) throw new ProblemError('upload', problems);

  const lifetime =
    input.maxExpirySeconds === undefined ? expires : Math.max(1, Math.min(expires, input.maxExpirySeconds));
  const fileName = sanitizeFileName(input.fileName);
  const key = `submissions/${input.cycleId}/${input.region}/${input.uploadId}/${fileName}`;
  const sse: Record<string, string> = input.kmsKeyId
    ? {
        'x-amz-server-side-encryption': 'aws:kms',
        'x-amz-server-side-encryption-aws-kms-key-id': input.kmsKeyId,
      }
    : { 'x-amz-server-side-encryption': 'AES256' };
  const post = await createPresignedPost(input.client, {
    Bucket: input.bucket,
    Key: key,
    // Every field becomes an exact-match condition; the size range is the only non-field condition.
    Fields: { 'Content-Type': contentType, ...sse },
    Conditions: [['content-length-range', MIN_UPLOAD_BYTES, limits.maxBytes]],
    Expires: lifetime,
  });
  return {
    ...post,
    key,
    fileName,
    minBytes: MIN_UPLOAD_BYTES,
    maxBytes: limits.maxBytes,
    expiresAt: new Date((input.now ? input.now.getTime() : nowMs()) + lifetime * 1000).toISOString(),
  };
}

function checkRequest(
  input: UploadPostInput,
  limits: KindLimits,
  contentType: string,
  expires: number,
): Problem[] {
  const problems: Problem[] = [];
  const bad = (code: string, path: string, id: string, en: string) =>
    problems.push(problem(code, 'error', { path }, id, en));
  const mb = (bytes: number) => `${(bytes / MB).toFixed(bytes % MB === 0 ? 0 : 1)} MB`;
  if (!SAFE_SEGMENT.test(input.cycleId))
    bad('INVALID_REQUEST', 'cycleId', 'ID siklus tidak sah.', 'Invalid cycle id.');
  if (!SAFE_SEGMENT.test(input.uploadId))
    bad('INVALID_REQUEST', 'uploadId', 'ID unggahan tidak sah.', 'Invalid upload id.');
  if (!regionCodeSchema.safeParse(input.region).success)
    bad(
      'INVALID_REQUEST',
      'region',
      `Kode wilayah "${input.region}" tidak sah (contoh: 18.01).`,
      `Region code "${input.region}" is not valid (e.g. 18.01).`,
    );
  if (!input.fileName.trim())
    bad('INVALID_REQUEST', 'fileName', 'Nama berkas kosong.', 'The file name is empty.');
  if (!limits.contentTypes.includes(contentType))
    bad(
      'CONTENT_TYPE_NOT_ALLOWED',
      'contentType',
      `Jenis berkas "${input.contentType}" tidak diterima untuk unggahan ${input.kind === 'data' ? 'data' : 'bukti'}. Yang diterima: ${limits.contentTypes.join(', ')}.`,
      `Content type "${input.contentType}" is not accepted for ${input.kind} uploads. Accepted: ${limits.contentTypes.join(', ')}.`,
    );
  else if (!extensionAgrees(input.kind, input.fileName, contentType))
    bad(
      'CONTENT_TYPE_MISMATCH',
      'fileName',
      `Ekstensi berkas "${input.fileName}" tidak cocok dengan jenis "${input.contentType}". Jangan mengganti ekstensi berkas.`,
      `The extension of "${input.fileName}" does not match content type "${input.contentType}". Do not rename file extensions.`,
    );
  if (!Number.isInteger(input.size) || input.size < 1)
    bad(
      'INVALID_REQUEST',
      'size',
      'Ukuran berkas tidak sah atau kosong.',
      'The file size is invalid or zero.',
    );
  else if (input.size > limits.maxBytes)
    bad(
      'FILE_TOO_LARGE',
      'size',
      `Berkas ${mb(input.size)} melebihi batas ${mb(limits.maxBytes)} untuk unggahan ${input.kind === 'data' ? 'data' : 'bukti'}. Perkecil berkas (mis. pindai PDF dengan resolusi lebih rendah) atau bagi menjadi beberapa berkas.`,
      `The ${mb(input.size)} file exceeds the ${mb(limits.maxBytes)} limit for ${input.kind} uploads. Make it smaller (e.g. scan the PDF at a lower resolution) or split it.`,
    );
  if (!Number.isInteger(expires) || expires < MIN_EXPIRY_SECONDS || expires > MAX_EXPIRY_SECONDS)
    bad(
      'INVALID_REQUEST',
      'expiresSeconds',
      `Masa berlaku harus ${MIN_EXPIRY_SECONDS}–${MAX_EXPIRY_SECONDS} detik.`,
      `Expiry must be ${MIN_EXPIRY_SECONDS}–${MAX_EXPIRY_SECONDS} seconds.`,
    );
  return problems;
}
