import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostedUiSettings, publishDashboard, readStackOutputs } from '#dashboard/publish';
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
  it('uploads the page, Chart.js, oidc-client-ts and config.json with their types and cache rules', async () => {
    const oidc = hostedUiSettings(
      readStackOutputs({
        Indeks: {
          ApiUrl: 'https://abc123.execute-api.ap-southeast-3.amazonaws.com/',
          DashboardBucketName: BUCKET,
          DashboardUrl: 'https://d111.cloudfront.net',
          UserPoolClientId: 'client123',
          SignInAuthority: 'https://cognito-idp.ap-southeast-3.amazonaws.com/ap-southeast-3_Pool',
          SignInDomain: 'https://indeks-111.auth.ap-southeast-3.amazoncognito.com',
          UserPoolId: 'ap-southeast-3_Pool',
        },
      }),
    );
    const published = await publishDashboard(
      s3,
      BUCKET,
      'https://abc123.execute-api.ap-southeast-3.amazonaws.com/',
      oidc,
    );
    expect(published.map((o) => o.key).sort()).toEqual(
      [
        'app.js',
        'signin.js',
        'verification.js',
        'config.json',
        'index.html',
        'style.css',
        'survey/form.css',
        'survey/form.js',
        'survey/index.html',
        'vendor/chart.umd.min.js',
        'vendor/oidc-client-ts.min.js',
      ].sort(),
    );
    const config = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'config.json' }));
    const written = JSON.parse((await config.Body?.transformToString('utf8')) ?? '{}');
    expect(written).toMatchObject({
      apiBase: 'https://abc123.execute-api.ap-southeast-3.amazonaws.com',
      // Sign-in through the hosted UI, back to the CloudFront URL; Cognito's logout is on its domain.
      oidc: {
        authority: 'https://cognito-idp.ap-southeast-3.amazonaws.com/ap-southeast-3_Pool',
        clientId: 'client123',
        redirectUri: 'https://d111.cloudfront.net/',
        endSessionEndpoint: 'https://indeks-111.auth.ap-southeast-3.amazoncognito.com/logout',
        scope: 'openid email profile',
      },
    });
    // The reason catalogue comes from shared/domain, never copied into the page.
    expect(written.reasons.map((r: { code: string }) => r.code)).toContain('EVIDENCE_NOT_SUPPORTING');
    expect(() => readStackOutputs({ Indeks: { ApiUrl: 'https://x' } })).toThrow(/SignInAuthority/);
    const page = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'index.html' }));
    expect(page.ContentType).toBe('text/html; charset=utf-8');
    expect(page.CacheControl).toBe('no-cache');
    const chart = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'vendor/chart.umd.min.js' }));
    expect(chart.CacheControl).toBe('public, max-age=86400');
    expect(chart.ContentLength).toBeGreaterThan(100_000);
  });
});
