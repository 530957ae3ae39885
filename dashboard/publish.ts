/**
 * Uploads the dashboard to its bucket after `cdk deploy` (outputs DashboardBucketName, ApiUrl):
 *
 *   npx tsx dashboard/publish.ts --bucket <DashboardBucketName> --api <ApiUrl>
 *
 * The page's files are stored as `no-cache` (CloudFront revalidates them, so a publish needs no
 * invalidation); Chart.js comes from node_modules and is cached for a day.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { dashboardFiles } from './serve';

export interface PublishedObject {
  key: string;
  contentType: string;
  cacheControl: string;
  bytes: number;
}

/** Puts every file of the dashboard and its `config.json` (the API base URL) into the bucket. */
export async function publishDashboard(
  client: S3Client,
  bucket: string,
  apiBase: string,
): Promise<PublishedObject[]> {
  const objects: { key: string; body: Buffer; contentType: string; cacheControl: string }[] = [];
  for (const [path, file] of Object.entries(dashboardFiles())) {
    if (path === '/' || path.endsWith('/')) continue;
    objects.push({
      key: path.slice(1),
      body: await readFile(file.file),
      contentType: file.type,
      cacheControl: path.startsWith('/vendor/') ? 'public, max-age=86400' : 'no-cache',
    });
  }
  objects.push({
    key: 'config.json',
    body: Buffer.from(JSON.stringify({ apiBase: apiBase.replace(/\/+$/, '') })),
    contentType: 'application/json; charset=utf-8',
    cacheControl: 'no-cache',
  });
  for (const o of objects)
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: o.key,
        Body: o.body,
        ContentType: o.contentType,
        CacheControl: o.cacheControl,
        ServerSideEncryption: 'AES256',
      }),
    );
  return objects.map((o) => ({
    key: o.key,
    contentType: o.contentType,
    cacheControl: o.cacheControl,
    bytes: o.body.length,
  }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { bucket: { type: 'string' }, api: { type: 'string' } } });
  if (!values.bucket || !values.api) {
    console.error(
      'Pemakaian / usage: npx tsx dashboard/publish.ts --bucket <DashboardBucketName> --api <ApiUrl>\n' +
        'Kedua nilai ada di keluaran (outputs) stack Indeks. / Both values are outputs of the Indeks stack.',
    );
    process.exitCode = 2;
    return;
  }
  const published = await publishDashboard(new S3Client({}), values.bucket, values.api);
  for (const o of published) console.log(`${o.key}  ${o.bytes} B  ${o.contentType}  ${o.cacheControl}`);
}

if (process.argv[1] && import.meta.url === new URL(process.argv[1], 'file://').href) await main();
