import * as z from 'zod';
import { regionCodeSchema } from '#domain/submission';
import { parseTaskInput } from '../task-input';

/**
 * The submission state machine's payloads (docs/architecture.md, "Submission state machine").
 * Every task receives the whole state: the execution input plus what earlier tasks added.
 */

const idSegment = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:+-]{0,199}$/);

/** What ingest-upload starts each execution with. */
export const executionInputSchema = z.object({
  cycleId: idSegment,
  kode: regionCodeSchema,
  submissionId: idSegment,
  bucket: z.string().min(1),
  key: z.string().min(1),
  /** Absent when the bucket has no versioning (local emulator). */
  versionId: z.string().min(1).nullish(),
});
export type ExecutionInput = z.infer<typeof executionInputSchema>;

/** Validate's result, at `$.validation`; the IsValid Choice state reads `valid`. */
export interface ValidationResult {
  valid: boolean;
  status: 'ACCEPTED' | 'REJECTED';
  reportKey: string;
  /** The canonical submission scoring reads (accepted uploads only). */
  canonicalKey?: string;
  errorCount: number;
  warningCount: number;
  format?: string;
}

/** Score's input: the state after Validate (it reads the canonical submission at its fixed key). */
export const scoreInputSchema = executionInputSchema;

/** Score's result, at `$.score`. */
export interface ScoreResultPayload {
  status: 'SCORED';
  scoreCardKey: string;
  indexValue: number;
  display: string;
  predikat: string;
  provisional: boolean;
}

/** RecordFailure's input: whatever state the failure left, with `$.error` from the Catch. */
export const failureInputSchema = z.object({
  cycleId: idSegment,
  kode: regionCodeSchema,
  submissionId: idSegment,
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});
export type FailureInput = z.infer<typeof failureInputSchema>;

export interface FailureResult {
  recorded: boolean;
  status?: string;
  outcome: 'applied' | 'unchanged' | 'rejected' | 'not-found';
}

/** Parses a task payload; a contract violation is an InternalError `BadInput` (not retried). */
export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown, what: string): T {
  return parseTaskInput(schema, payload, what, 'BadInput');
}
