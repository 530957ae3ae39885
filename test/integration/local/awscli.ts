import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LOCAL_CREDENTIALS } from '#local/storage/s3';

/** Debian's awscli, which `.ci/run` installs: a test that needs it fails (never skips) without it. */
const AWS = '/usr/bin/aws';

/**
 * Runs Debian's awscli against the local S3 at `endpoint` with the local credentials, and none of
 * the machine's configuration (`home` stands in for HOME); answers its standard output.
 */
export async function awsCli(endpoint: string, home: string, ...args: string[]): Promise<string> {
  if (!existsSync(AWS)) throw new Error(`${AWS} is missing: apt-get install awscli (Debian 12)`);
  const { stdout } = await promisify(execFile)(AWS, ['--endpoint-url', endpoint, ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_DEFAULT_REGION: 'ap-southeast-3',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(home, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    },
  });
  return stdout;
}
