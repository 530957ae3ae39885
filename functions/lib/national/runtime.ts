import type * as z from 'zod';
import { InternalError } from '#domain/errors';

/** The state a Task received, checked against its contract; a violation is not retried. */
export function parseState<T>(schema: z.ZodType<T>, event: unknown, state: string): T {
  const parsed = schema.safeParse(event);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new InternalError('InvalidStateInput', `${state}: the input breaks the contract: ${issues}`);
}
