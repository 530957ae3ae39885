import { Logger } from '@aws-lambda-powertools/logger';
import type * as z from 'zod';
import { documentClient, requiredEnv, s3Client } from '#adapters/aws-clients';
import { createRepositories, type Repositories, tableNameFromEnv } from '#adapters/dynamo/index';
import { ObjectStore } from '#adapters/object-store';
import { InternalError } from '#domain/errors';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'indeks-national' });

/** Built on first use (after the environment is set), then reused by the warm container. */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

export const repositories = lazy(
  (): Repositories => createRepositories(documentClient(), tableNameFromEnv()),
);
export const uploads = lazy(() => new ObjectStore(s3Client(), requiredEnv('UPLOAD_BUCKET')));

/** The state a Task received, checked against its contract; a violation is not retried. */
export function parseState<T>(schema: z.ZodType<T>, event: unknown, state: string): T {
  const parsed = schema.safeParse(event);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new InternalError('InvalidStateInput', `${state}: the input breaks the contract: ${issues}`);
}
