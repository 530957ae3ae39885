import { Logger } from '@aws-lambda-powertools/logger';
import type * as z from 'zod';
import { InternalError } from '#domain/errors';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'indeks-national' });

/** The state a Task received, checked against its contract; a violation is not retried. */
export function parseState<T>(schema: z.ZodType<T>, event: unknown, state: string): T {
  const parsed = schema.safeParse(event);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new InternalError('InvalidStateInput', `${state}: the input breaks the contract: ${issues}`);
}
