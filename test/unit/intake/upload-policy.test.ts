import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildUploadPost, DEFAULT_UPLOAD_LIMITS, type UploadPostInput } from '#adapters/upload-policy';
import { ProblemError } from '#domain/problems';
import { sanitizeFileName } from '#intake/index';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const NOW = new Date('2025-03-31T16:50:00Z');

const client = new S3Client({
  region: 'ap-southeast-3',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
});

const request = (extra: Partial<UploadPostInput> = {}): UploadPostInput => ({
  client,
  bucket: 'indeks-uploads',
  cycleId: 'iid-2023',
  region: '18.01',
  uploadId: '01JQ7ZK3X9',
  fileName: 'Isian IID.xlsx',
  contentType: XLSX,
  size: 2_000_000,
  kind: 'data',
  ...extra,
});

interface Policy {
  expiration: string;
  conditions: (Record<string, string> | [string, string | number, string | number])[];
}
const decode = (policy: string | undefined): Policy =>
  JSON.parse(Buffer.from(policy ?? '', 'base64').toString('utf8'));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('buildUploadPost', () => {
  it('pins every condition of a data upload in the signed policy', async () => {
    const post = await buildUploadPost(request({ expiresSeconds: 300 }));
    expect(post.key).toBe('submissions/iid-2023/18.01/01JQ7ZK3X9/Isian_IID.xlsx');
    const policy = decode(post.fields.Policy);
    expect(policy.expiration).toBe('2025-03-31T16:55:00Z');
    expect(post.expiresAt).toBe('2025-03-31T16:55:00.000Z');
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, 10 * 1024 * 1024],
        { 'Content-Type': XLSX },
        { 'x-amz-server-side-encryption': 'AES256' },
        { bucket: 'indeks-uploads' },
        { key: 'submissions/iid-2023/18.01/01JQ7ZK3X9/Isian_IID.xlsx' },
        { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' },
        { 'X-Amz-Credential': 'AKIDEXAMPLE/20250331/ap-southeast-3/s3/aws4_request' },
        { 'X-Amz-Date': '20250331T165000Z' },
      ]),
    );
    expect(policy.conditions).toHaveLength(8);
    // No prefix condition: the client cannot pick another key.
    expect(policy.conditions.some((c) => Array.isArray(c) && c[0] === 'starts-with')).toBe(false);
    expect(post.fields).toMatchObject({
      key: post.key,
      'Content-Type': XLSX,
      'x-amz-server-side-encryption': 'AES256',
      bucket: 'indeks-uploads',
    });
    expect(post.fields['X-Amz-Signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(post.url).toContain('indeks-uploads');
  });

  it('evidence uploads get their own maximum, and SSE-KMS when a key is given', async () => {
    const post = await buildUploadPost(
      request({
        kind: 'evidence',
        fileName: 'Perda No. 3 Tahun 2023.PDF',
        contentType: 'application/pdf',
        size: 20 * 1024 * 1024,
        kmsKeyId: 'arn:aws:kms:ap-southeast-3:111122223333:key/abc',
      }),
    );
    expect(post.key).toBe('submissions/iid-2023/18.01/01JQ7ZK3X9/Perda_No._3_Tahun_2023.PDF');
    const policy = decode(post.fields.Policy);
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, 25 * 1024 * 1024],
        { 'Content-Type': 'application/pdf' },
        { 'x-amz-server-side-encryption': 'aws:kms' },
        { 'x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:ap-southeast-3:111122223333:key/abc' },
      ]),
    );
    expect(post.maxBytes).toBe(DEFAULT_UPLOAD_LIMITS.evidence.maxBytes);
  });

  it('never uses the client path: traversal and odd characters are sanitised', async () => {
    const post = await buildUploadPost(
      request({ fileName: '../../../etc/passwd.csv', contentType: 'text/csv' }),
    );
    expect(post.key).toBe('submissions/iid-2023/18.01/01JQ7ZK3X9/passwd.csv');
    expect(sanitizeFileName('C:\\Users\\Operator\\Desktop\\Isian Final (2).xlsx')).toBe('Isian_Final_2.xlsx');
    expect(sanitizeFileName('..')).toBe('berkas');
    expect(sanitizeFileName('Laporan Dinas Pendidikan – Ringkasan Ëvaluasi.pdf')).toBe(
      'Laporan_Dinas_Pendidikan_Ringkasan_Evaluasi.pdf',
    );
    expect(sanitizeFileName(`${'a'.repeat(300)}.pdf`)).toHaveLength(120);
    expect(sanitizeFileName(`${'a'.repeat(300)}.pdf`).endsWith('.pdf')).toBe(true);
  });

  it('refuses what the policy would refuse, with bilingual problems', async () => {
    const refused = async (extra: Partial<UploadPostInput>): Promise<string[]> => {
      try {
        await buildUploadPost(request(extra));
        return [];
      } catch (error) {
        if (!(error instanceof ProblemError)) throw error;
        for (const p of error.problems) expect(p.message_id).not.toBe(p.message_en);
        return error.problems.map((p) => p.code);
      }
    };
    expect(await refused({ size: 11 * 1024 * 1024 })).toEqual(['FILE_TOO_LARGE']);
    expect(await refused({ size: 0 })).toEqual(['INVALID_REQUEST']);
    expect(await refused({ contentType: 'application/x-msdownload', fileName: 'a.exe' })).toEqual([
      'CONTENT_TYPE_NOT_ALLOWED',
    ]);
    expect(await refused({ contentType: 'text/csv' })).toEqual(['CONTENT_TYPE_MISMATCH']);
    expect(await refused({ kind: 'evidence', contentType: 'application/pdf', fileName: 'x.png' })).toEqual([
      'CONTENT_TYPE_MISMATCH',
    ]);
    expect(await refused({ expiresSeconds: 7200 })).toEqual(['INVALID_REQUEST']);
    expect(await refused({ region: '18.1' })).toEqual(['INVALID_REQUEST']);
    expect(await refused({ uploadId: '../x', cycleId: 'a/b' })).toEqual([
      'INVALID_REQUEST',
      'INVALID_REQUEST',
    ]);
  });
});
