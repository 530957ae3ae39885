import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';

/**
 * Step Functions executions, the adapter: the national run started and described under its run
 * id, and the submission pipeline started under attempt names. Execution names are chosen by the
 * callers (deterministic), so a duplicate start finds the same execution.
 */

/** What a handler needs of the Step Functions client (tests pass a fake `send`). */
export type SfnSender = Pick<SFNClient, 'send'>;

/** What the national state machine's execution input carries (`$.cycleId` is read by every state). */
export interface NationalRunInput {
  cycleId: string;
  trigger: string;
  requestedBy?: string;
}

/** What Step Functions says about an execution (DescribeExecution), as far as a run cares. */
export interface ExecutionState {
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
  error?: string;
  cause?: string;
}

export interface NationalRunStarter {
  /** Starts the execution named `runId`; a second start of the same name is not an error. */
  start(runId: string, input: NationalRunInput): Promise<'started' | 'already-started'>;
  /** The execution named `runId`, or undefined when it was never started. */
  describe(runId: string): Promise<ExecutionState | undefined>;
}

/** Starts (and describes) executions of one state machine by name: the national run and the verification phases. */
export class StepFunctionsStarter<I extends object = NationalRunInput> {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(runId: string, input: I): Promise<'started' | 'already-started'> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: runId,
          input: JSON.stringify(input),
        }),
      );
      return 'started';
    } catch (error) {
      // Same name, other input (another trigger won), or a closed execution: it exists.
      if (error instanceof ExecutionAlreadyExists) return 'already-started';
      throw error;
    }
  }

  async describe(runId: string): Promise<ExecutionState | undefined> {
    try {
      const out = await this.client.send(
        new DescribeExecutionCommand({ executionArn: executionArnOf(this.stateMachineArn, runId) }),
      );
      if (!out.status) return undefined;
      return {
        status: out.status,
        ...(out.error ? { error: out.error } : {}),
        ...(out.cause ? { cause: out.cause } : {}),
      };
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return undefined;
      throw error;
    }
  }
}

/** `arn:…:stateMachine:M` + name → `arn:…:execution:M:name` (how Step Functions names executions). */
export const executionArnOf = (stateMachineArn: string, name: string): string =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

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
  sfn: SfnSender,
  stateMachineArn: string,
  input: { submissionId: string },
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
  sfn: SfnSender,
  stateMachineArn: string,
  name: string,
): Promise<string | undefined> {
  try {
    const out = await sfn.send(
      new DescribeExecutionCommand({
        executionArn: executionArnOf(stateMachineArn, name),
      }),
    );
    return out.status;
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return undefined;
    throw error;
  }
}
