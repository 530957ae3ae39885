import type * as z from 'zod';
import { InternalError } from '#domain/errors';

/**
 * The input a Step Functions task or an event handler received, checked against its contract. A
 * violation is an InternalError named `errorName` (the state machines do not retry it), listing
 * every issue with its path.
 */
export function parseTaskInput<T>(schema: z.ZodType<T>, input: unknown, what: string, errorName: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new InternalError(errorName, `${what}: ${issues}`);
}

/** The state a national-run Task (or cycle-transition) received; a violation is `InvalidStateInput`. */
export const parseState = <T>(schema: z.ZodType<T>, event: unknown, state: string): T =>
  parseTaskInput(schema, event, `${state}: the input breaks the contract`, 'InvalidStateInput');
