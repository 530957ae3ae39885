import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
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

export type PipelineStart = 'started' | 'already-started';

/**
 * Starts the submission state machine named after the submission: a second start with the same
 * name and input returns the running execution, and `ExecutionAlreadyExists` (closed, or other
 * input) also means it was started before. Either way there is one pipeline run per submission.
 */
export async function startPipeline(
  sfn: Pick<SFNClient, 'send'>,
  stateMachineArn: string,
  input: ExecutionInput,
): Promise<PipelineStart> {
  try {
    await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: input.submissionId, input: JSON.stringify(input) }),
    );
    return 'started';
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionAlreadyExists') return 'already-started';
    throw error;
  }
}
