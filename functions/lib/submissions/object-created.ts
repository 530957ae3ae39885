import { DescribeExecutionCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import * as z from 'zod';
import type { ExecutionInput } from './contract';

/** The EventBridge event S3 sends for a new object (bucket with EventBridge notifications on). */
export const objectCreatedSchema = z.object({
  source: z.literal('aws.s3'),
  'detail-type': z.literal('Object Created'),
  time: z.string().refine((t) => !Number.isNaN(Date.parse(t)), 'not an ISO 8601 instant'),
  detail: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      // EventBridge keys are not URL-encoded (S3 notifications' are); ours never need decoding.
      key: z.string().min(1).max(1024),
      size: z.number().int().nonnegative().optional(),
      etag: z.string().min(1).optional(),
      'version-id': z.string().min(1).optional(),
    }),
  }),
});
export type ObjectCreated = z.infer<typeof objectCreatedSchema>;

export type PipelineStart = 'started' | 'already-started' | 'exhausted';

/** How many executions one submission may get (the first, then the sweeper's redrives). */
export const MAX_PIPELINE_ATTEMPTS = 5;

/** Execution name of attempt `n` (1-based): the submission id, then `{id}-2`, `{id}-3`, … (distinct names). */
export const attemptName = (submissionId: string, n: number): string =>
  n === 1 ? submissionId : `${submissionId}-${n}`;

/**
 * Starts the submission state machine for `input`, under the first attempt name that is free or
 * still running: a start of a running execution (same name and input) is not an error, and
 * `ExecutionAlreadyExists` is "already started" only while that execution is RUNNING (checked
 * with DescribeExecution); a closed one (aborted by a crash, stopped, failed) leaves the
 * submission to the next attempt name. Deterministic, so a duplicate event or two sweepers racing
 * start one execution. After MAX_PIPELINE_ATTEMPTS closed ones, `exhausted`.
 */
export async function startPipeline(
  sfn: Pick<SFNClient, 'send'>,
  stateMachineArn: string,
  input: ExecutionInput,
  firstAttempt = 1,
): Promise<PipelineStart> {
  for (let n = firstAttempt; n <= MAX_PIPELINE_ATTEMPTS; n++) {
    const name = attemptName(input.submissionId, n);
    try {
      await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
      return 'started';
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ExecutionAlreadyExists')) throw error;
    }
    if ((await executionStatus(sfn, stateMachineArn, name)) === 'RUNNING') return 'already-started';
  }
  return 'exhausted';
}

/** The status of the execution `name` of the machine (undefined: it does not exist). */
export async function executionStatus(
  sfn: Pick<SFNClient, 'send'>,
  stateMachineArn: string,
  name: string,
): Promise<string | undefined> {
  try {
    const out = await sfn.send(
      new DescribeExecutionCommand({
        executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`,
      }),
    );
    return out.status;
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return undefined;
    throw error;
  }
}
