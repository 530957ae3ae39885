/**
 * Uploads the dashboard to its bucket after `cdk deploy`, with the config.json the page reads
 * (API URL and sign-in settings), all taken from the stack's outputs:
 *
 *   npx cdk deploy --outputs-file cdk-outputs.json
 *   npx tsx dashboard/publish.ts --outputs cdk-outputs.json
 *
 * The page's files are stored as `no-cache` (CloudFront revalidates them, so a publish needs no
 * invalidation); Chart.js and oidc-client-ts come from node_modules and are cached for a day.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod';
import { dashboardConfig, dashboardFiles, type OidcSettings } from './serve';

export interface PublishedObject {
  key: string;
  contentType: string;
  cacheControl: string;
  bytes: number;
}

/** The stack outputs the dashboard needs (see infra/stack.ts). */
const stackOutputs = z.looseObject({
  ApiUrl: z.string().url(),
  DashboardBucketName: z.string().min(1),
  DashboardUrl: z.string().url(),
  UserPoolClientId: z.string().min(1),
  SignInAuthority: z.string().url(),
  SignInDomain: z.string().url(),
});
export type StackOutputs = z.infer<typeof stackOutputs>;

/** Sign-in through the Cognito hosted UI: code + PKCE, back to the CloudFront URL. */
export function hostedUiSettings(outputs: StackOutputs): OidcSettings {
  const page = `${outputs.DashboardUrl.replace(/\/+$/, '')}/`;
  return {
    authority: outputs.SignInAuthority,
    clientId: outputs.UserPoolClientId,
    redirectUri: page,
    endSessionEndpoint: `${outputs.SignInDomain.replace(/\/+$/, '')}/logout`,
    scope: 'openid email profile',
  };
}

/** The one stack in a `cdk deploy --outputs-file` file: `{ "<StackName>": { "ApiUrl": …, … } }`. */
export function readStackOutputs(json: unknown): StackOutputs {
  const stacks = z.record(z.string(), z.unknown()).parse(json);
  const found = Object.values(stacks)
    .map((v) => stackOutputs.safeParse(v))
    .find((r) => r.success);
  if (!found?.data)
    throw new Error(
      'Berkas keluaran tidak memuat ApiUrl, DashboardBucketName, DashboardUrl, UserPoolClientId, SignInAuthority, SignInDomain. / The outputs file lacks ApiUrl, DashboardBucketName, DashboardUrl, UserPoolClientId, SignInAuthority, SignInDomain.',
    );
  return found.data;
}

/** Puts every file of the dashboard and its `config.json` (API base URL, sign-in) into the bucket. */
export async function publishDashboard(
  client: S3Client,
  bucket: string,
  apiBase: string,
  oidc?: OidcSettings,
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
    body: Buffer.from(JSON.stringify(dashboardConfig(apiBase, oidc))),
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
  const { values } = parseArgs({ options: { outputs: { type: 'string' } } });
  if (!values.outputs) {
    console.error(
      'Pemakaian / usage: npx tsx dashboard/publish.ts --outputs cdk-outputs.json\n' +
        'Berkas dari `npx cdk deploy --outputs-file cdk-outputs.json`. / The file `npx cdk deploy --outputs-file cdk-outputs.json` writes.',
    );
    process.exitCode = 2;
    return;
  }
  const outputs = readStackOutputs(JSON.parse(await readFile(values.outputs, 'utf8')));
  const published = await publishDashboard(
    new S3Client({}),
    outputs.DashboardBucketName,
    outputs.ApiUrl,
    hostedUiSettings(outputs),
  );
  for (const o of published) console.log(`${o.key}  ${o.bytes} B  ${o.contentType}  ${o.cacheControl}`);
}

if (process.argv[1] && import.meta.url === new URL(process.argv[1], 'file://').href) await main();
