/**
 * The submission state machine run in order, as infra/constructs/submission-pipeline.ts wires it
 * (docs/architecture.md): Validate → $.validation; IsValid (IsPresent + IsBoolean first) → Score →
 * $.score → Scored, or Rejected; a caught error → $.error = {Error, Cause} → RecordFailure →
 * $.failure → Failed. Payloads cross a JSON boundary, as with Lambda. Retries of `TransientError`
 * are left out: a test that wants one calls the task again.
 */
export type Task = (payload: unknown) => Promise<unknown>;

export interface Tasks {
  validate: Task;
  score: Task;
  recordFailure: Task;
}

export type Outcome = 'Scored' | 'Rejected' | 'Failed';

export interface Execution {
  outcome: Outcome;
  state: Record<string, unknown>;
}

const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function lambdaError(error: unknown): { Error: string; Cause: string } {
  const e = error instanceof Error ? error : new Error(String(error));
  return {
    Error: e.name,
    Cause: JSON.stringify({ errorType: e.name, errorMessage: e.message, trace: (e.stack ?? '').split('\n') }),
  };
}

export async function runExecution(tasks: Tasks, input: unknown): Promise<Execution> {
  const state = throughJson(input) as Record<string, unknown>;
  const fail = async (error: { Error: string; Cause: string }): Promise<Execution> => {
    state.error = error;
    state.failure = throughJson(await tasks.recordFailure(throughJson(state)));
    return { outcome: 'Failed', state };
  };
  try {
    state.validation = throughJson(await tasks.validate(throughJson(state)));
  } catch (error) {
    return fail(lambdaError(error));
  }
  const valid = (state.validation as { valid?: unknown } | undefined)?.valid;
  if (typeof valid !== 'boolean')
    return fail({
      Error: 'Indeks.BadValidationResult',
      Cause: 'validate-submission must return {"valid": true|false, ...}',
    });
  if (!valid) return { outcome: 'Rejected', state };
  try {
    state.score = throughJson(await tasks.score(throughJson(state)));
  } catch (error) {
    return fail(lambdaError(error));
  }
  return { outcome: 'Scored', state };
}
