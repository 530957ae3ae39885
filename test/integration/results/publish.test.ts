import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishDashboard } from '#dashboard/publish';
import { BUCKET, type ResultsHarness, startResultsHarness } from './harness';

let h: ResultsHarness;
let s3: S3Client;
beforeAll(async () => {
  h = await startResultsHarness('indeks-publish');
  s3 = new S3Client({
    region: 'ap-southeast-3',
    endpoint: process.env.AWS_ENDPOINT_URL_S3,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
});
afterAll(async () => {
  s3?.destroy();
  await h?.close();
});

describe('dashboard/publish.ts', () => {
  it('uploads the page, Chart.js and config.json with their types and cache rules', async () => {
    const published = await publishDashboard(
      s3,
      BUCKET,
      'https://abc123.execute-api.ap-southeast-3.amazonaws.com/',
    );
    expect(published.map((o) => o.key).sort()).toEqual(
      [
        'app.js',
        'config.json',
        'index.html',
        'style.css',
        'survey/form.css',
        'survey/form.js',
        'survey/index.html',
        'vendor/chart.umd.min.js',
      ].sort(),
    );
    const config = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'config.json' }));
    expect(JSON.parse((await config.Body?.transformToString('utf8')) ?? '{}')).toEqual({
      apiBase: 'https://abc123.execute-api.ap-southeast-3.amazonaws.com',
    });
    const page = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'index.html' }));
    expect(page.ContentType).toBe('text/html; charset=utf-8');
    expect(page.CacheControl).toBe('no-cache');
    const chart = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'vendor/chart.umd.min.js' }));
    expect(chart.CacheControl).toBe('public, max-age=86400');
    expect(chart.ContentLength).toBeGreaterThan(100_000);
  });
});
