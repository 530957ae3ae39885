import { now, nowMs } from '#adapters/clock';
import './polyfill';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { RunOptions, StateMachine, StateMachineDefinition } from 'aws-local-stepfunctions';
import { writeFileAtomic } from '../atomic-file';
import { type Json, type JsonObject, parseJson, throughJson } from '../json';
import type { LambdaRuntime } from '../lambda/invoke';
import { errorText, type Logger } from '../log';
import { type CompiledMachine, PRODUCT_START_TIME, type TaskTarget } from './definition';
import { type ChildExecution, runDistributedMap } from './distributed-map';
import { ServiceError } from './errors';
import { taskHandlers } from './tasks';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  /** Epoch milliseconds (local clock). */
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Its status-change event for the current status was delivered (at least once). */
  notified?: boolean;
}

/** Receives an execution whose status changed; resolves once its event was delivered. */
export type StatusChangeListener = (record: ExecutionRecord) => Promise<unknown>;

interface Identity {
  executionArn: string;
  name: string;
  machine: CompiledMachine;
}

type Outcome =
  | { status: 'SUCCEEDED'; output: Json }
  | { status: 'FAILED' | 'TIMED_OUT' | 'ABORTED'; error: string; cause: string };

const NAME_FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

/** Execution names: 1–80 characters, none of the forbidden ones, no control characters. */
function validName(name: string): boolean {
  if (name.length < 1 || name.length > 80 || NAME_FORBIDDEN.test(name)) return false;
  return [...name].every((c) => {
    const code = c.charCodeAt(0);
    return code > 0x1f && (code < 0x7f || code > 0x9f);
  });
}

type Library = typeof import('aws-local-stepfunctions');
let library: Promise<Library> | undefined;
/** Loaded on first use (~0.3 s): a start whose definitions were validated before never needs it. */
const loadLibrary = () => {
  library ??= import('aws-local-stepfunctions');
  return library;
};

/** The library's definition type is a closed union of ASL shapes; ours is checked by its validator. */
const asDefinition = (definition: JsonObject) => definition as unknown as StateMachineDefinition;

export interface StepFunctionsOptions {
  machines: readonly CompiledMachine[];
  lambda: LambdaRuntime;
  dynamo: DynamoDBClient;
  s3: S3Client;
  logger: Logger;
  /** Execution history persisted here (names stay taken across restarts, as in AWS). */
  storeFile?: string;
  /** Remembers definitions that passed validation (~0.4 s each), so later starts skip it. */
  validationCacheDir?: string;
}

/**
 * Step Functions for the template's state machines: StartExecution (idempotent by name as in
 * AWS), DescribeExecution, ListExecutions, StopExecution. Executions run in this process with
 * aws-local-stepfunctions; every Task state is overridden by its local handler.
 */
export class StepFunctionsService {
  private readonly machines = new Map<string, CompiledMachine>();
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly running = new Map<string, { abort: () => void; done: Promise<void> }>();
  private readonly parsed = new WeakMap<JsonObject, Promise<StateMachine>>();
  private saving: Promise<void> = Promise.resolve();
  private writing = false;
  private dirty = false;
  private listener: StatusChangeListener | undefined;
  private closing = false;

  constructor(private readonly options: StepFunctionsOptions) {
    for (const machine of options.machines) this.machines.set(machine.spec.arn, machine);
  }

  /** Validates every rewritten definition not validated before, so a broken one fails the start. */
  async prepare(): Promise<void> {
    const definitions = [...this.machines.values()].flatMap((m) => [
      m.definition,
      ...[...m.tasks.values()].flatMap((t) => (t.kind === 'distributedMap' ? [t.map.processor] : [])),
    ]);
    for (const definition of definitions) {
      if (!this.validated(definition).known) await this.stateMachine(definition);
    }
  }

  private validated(definition: JsonObject): { known: boolean; marker: string | undefined } {
    const cacheDir = this.options.validationCacheDir;
    const digest = createHash('sha256').update(JSON.stringify(definition)).digest('hex').slice(0, 32);
    const marker = cacheDir ? join(cacheDir, `asl-valid-${digest}`) : undefined;
    return { known: marker !== undefined && existsSync(marker), marker };
  }

  /**
   * Loads the persisted history; executions that were running when the runtime stopped (a kill,
   * a power cut) are settled as ABORTED, as AWS would after StopExecution, and their status-change
   * events are sent by `notifyPending()` once the event bus is wired.
   */
  async load(): Promise<void> {
    const file = this.options.storeFile;
    if (!file) return;
    let stored: unknown;
    try {
      stored = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      return;
    }
    if (!Array.isArray(stored)) return;
    for (const r of stored as ExecutionRecord[]) {
      if (r.status === 'RUNNING') {
        Object.assign(r, {
          status: 'ABORTED',
          stopDate: nowMs(),
          error: 'Local.RuntimeStopped',
          cause: 'The local runtime stopped while this execution was running.',
          notified: false,
        });
      }
      this.records.set(r.executionArn, r);
    }
    this.persist();
  }

  /** Where status changes go (the runtime puts them on the event bus). */
  onStatusChange(listener: StatusChangeListener): void {
    this.listener = listener;
  }

  /** Sends the status-change events a previous process could not deliver (at least once; targets are idempotent). */
  async notifyPending(): Promise<void> {
    const pending = [...this.records.values()].filter((r) => r.status !== 'RUNNING' && r.notified === false);
    await Promise.all(pending.map((r) => this.notify(r)));
  }

  private async notify(record: ExecutionRecord): Promise<void> {
    // While stopping, nothing can receive it: it stays pending and is sent at the next start.
    if (!this.listener || this.closing) return;
    const status = record.status;
    try {
      await this.listener({ ...record });
    } catch (error) {
      this.options.logger.warn(`${record.name}: status event not delivered: ${errorText(error)}`);
      return;
    }
    if (record.status === status && status !== 'RUNNING') {
      record.notified = true;
      this.persist();
    }
  }

  get compiled(): readonly CompiledMachine[] {
    return [...this.machines.values()];
  }

  private stateMachine(definition: JsonObject): Promise<StateMachine> {
    let machine = this.parsed.get(definition);
    if (!machine) {
      const { known, marker } = this.validated(definition);
      machine = loadLibrary().then(({ StateMachine }) => {
        const built = new StateMachine(asDefinition(definition), {
          validationOptions: known ? { noValidate: true } : { checkArn: true, checkPaths: true },
        });
        if (marker && !known) {
          mkdirSync(dirname(marker), { recursive: true });
          writeFileSync(marker, '');
        }
        return built;
      });
      this.parsed.set(definition, machine);
    }
    return machine;
  }

  /**
   * Writes the history (temp file + rename). Coalesced: while a write is in flight, further
   * changes only mark the history dirty, and the next write takes its snapshot when it starts. One
   * snapshot per change, queued behind slow writes, cost O(executions²) time and held every queued
   * snapshot in memory at once during a burst of uploads.
   */
  private persist(): void {
    const file = this.options.storeFile;
    if (!file) return;
    this.dirty = true;
    if (this.writing) return;
    this.writing = true;
    this.saving = (async () => {
      try {
        while (this.dirty) {
          this.dirty = false;
          const snapshot = JSON.stringify([...this.records.values()]);
          await writeFileAtomic(file, snapshot);
        }
      } catch (error) {
        this.options.logger.warn(
          `riwayat eksekusi tidak tersimpan / execution history not saved: ${errorText(error)}`,
        );
      } finally {
        this.writing = false;
      }
    })();
  }

  startExecution(request: { stateMachineArn?: string; name?: string; input?: string }): {
    executionArn: string;
    startDate: number;
  } {
    const machine = request.stateMachineArn ? this.machines.get(request.stateMachineArn) : undefined;
    if (!machine)
      throw new ServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${request.stateMachineArn ?? ''}'`,
      );
    const name = request.name ?? randomUUID();
    if (!validName(name)) throw new ServiceError('InvalidName', `Invalid Name: '${name}'`);
    const input = request.input ?? '{}';
    let parsedInput: Json;
    try {
      parsedInput = parseJson(input);
    } catch {
      throw new ServiceError(
        'InvalidExecutionInput',
        "Invalid State Machine Execution Input: 'Unexpected input'",
      );
    }
    const executionArn = `${machine.spec.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.records.get(executionArn);
    if (existing) {
      // AWS: same name and input while still running → the same response; otherwise refused.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: existing.startDate };
      }
      throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.spec.arn,
      name,
      status: 'RUNNING',
      startDate: nowMs(),
      input,
    };
    this.records.set(executionArn, record);
    this.persist();
    void this.notify(record);
    this.launch(record, { executionArn, name, machine }, parsedInput);
    return { executionArn, startDate: record.startDate };
  }

  private launch(record: ExecutionRecord, identity: Identity, input: Json): void {
    const { result, abort } = this.execute(
      identity.machine.definition,
      identity.machine.tasks,
      input,
      identity,
      record.startDate,
    );
    const done = result.then((outcome) => {
      Object.assign(record, { status: outcome.status, stopDate: nowMs(), notified: false });
      if (outcome.status === 'SUCCEEDED') record.output = JSON.stringify(outcome.output);
      else Object.assign(record, { error: outcome.error, cause: outcome.cause });
      this.options.logger.debug(`${identity.machine.spec.name}/${identity.name}: ${record.status}`);
      if (outcome.status === 'FAILED') {
        this.options.logger.warn(
          `${identity.machine.spec.logicalId} ${identity.name}: FAILED ${outcome.error} ${outcome.cause.slice(0, 300)}`,
        );
      }
      this.running.delete(record.executionArn);
      this.persist();
      void this.notify(record);
    });
    this.running.set(record.executionArn, { abort, done });
  }

  /** Runs a definition to its end; failures become an outcome, never a rejection. */
  private execute(
    definition: JsonObject,
    tasks: ReadonlyMap<string, TaskTarget>,
    input: Json,
    identity: Identity,
    startDate: number,
  ): { result: Promise<Outcome>; abort: () => void } {
    const spec = identity.machine.spec;
    const handlers = taskHandlers(
      tasks,
      {
        lambda: this.options.lambda,
        dynamo: this.options.dynamo,
        distributedMap: (target, stateName) => (parameters) => {
          const mapRunId = randomUUID();
          return runDistributedMap(target.map, parameters, {
            s3: this.options.s3,
            mapRunId,
            mapRunArn: `${spec.arn.replace(':stateMachine:', ':mapRun:')}/${target.map.label}:${mapRunId}`,
            stateMachineArn: `${spec.arn}/${stateName}`,
            runChild: (processor, childInput, childName) =>
              this.runChild(processor, childInput, childName, identity, stateName, mapRunId),
          });
        },
      },
      `${spec.logicalId}/${identity.name}`,
    );
    const options: RunOptions = {
      overrides: { taskResourceLocalHandlers: handlers },
      context: {
        Execution: {
          Id: identity.executionArn,
          Name: identity.name,
          RoleArn: `arn:aws:iam::000000000000:role/${spec.logicalId}Role`,
          [PRODUCT_START_TIME]: new Date(startDate).toISOString(),
        },
        StateMachine: { Id: spec.arn, Name: spec.name },
        // aws-local-stepfunctions fills only $$.Execution; the time a state's input is evaluated is
        // the time it was entered, which is what $$.State.EnteredTime means.
        State: {
          get EnteredTime() {
            return now().toISOString();
          },
          RetryCount: 0,
        },
      },
    };
    let aborted = false;
    let abortRun: (() => void) | undefined;
    const stopped: Outcome = { status: 'ABORTED', error: 'States.Aborted', cause: 'Execution was stopped' };
    const result = Promise.all([this.stateMachine(definition), loadLibrary()]).then(
      async ([machine, { ExecutionAbortedError, ExecutionError }]): Promise<Outcome> => {
        if (aborted) return stopped;
        const run = machine.run(throughJson(input), options);
        abortRun = run.abort;
        try {
          return { status: 'SUCCEEDED', output: throughJson(await run.result) };
        } catch (error) {
          if (error instanceof ExecutionAbortedError) return stopped;
          const inner = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : error;
          if (inner instanceof Error) {
            return {
              status: inner.name === 'States.Timeout' ? 'TIMED_OUT' : 'FAILED',
              error: inner.name,
              cause: inner.message,
            };
          }
          return { status: 'FAILED', error: 'States.Runtime', cause: String(inner) };
        }
      },
      (error: unknown): Outcome => ({ status: 'FAILED', error: 'States.Runtime', cause: errorText(error) }),
    );
    return {
      result,
      abort: () => {
        aborted = true;
        abortRun?.();
      },
    };
  }

  private async runChild(
    processor: JsonObject,
    input: Json,
    name: string,
    parent: Identity,
    stateName: string,
    mapRunId: string,
  ): Promise<ChildExecution> {
    const spec = parent.machine.spec;
    const executionArn = `${spec.arn.replace(':stateMachine:', ':execution:')}/${stateName}:${mapRunId}:${name}`;
    const startDate = now();
    const outcome = await this.execute(
      processor,
      parent.machine.tasks,
      input,
      { executionArn, name, machine: parent.machine },
      startDate.getTime(),
    ).result;
    const base = { executionArn, name, input, startDate, stopDate: now() };
    return outcome.status === 'SUCCEEDED'
      ? { ...base, status: 'SUCCEEDED', output: outcome.output }
      : { ...base, status: 'FAILED', error: outcome.error, cause: outcome.cause };
  }

  describeExecution(executionArn: string | undefined): ExecutionRecord {
    const record = executionArn ? this.records.get(executionArn) : undefined;
    if (!record)
      throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn ?? ''}'`);
    return { ...record };
  }

  listExecutions(stateMachineArn: string | undefined, status?: string): ExecutionRecord[] {
    if (!stateMachineArn || !this.machines.has(stateMachineArn)) {
      throw new ServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn ?? ''}'`,
      );
    }
    return [...this.records.values()]
      .filter((r) => r.stateMachineArn === stateMachineArn && (!status || r.status === status))
      .sort((a, b) => b.startDate - a.startDate);
  }

  stopExecution(executionArn: string | undefined): { stopDate: number } {
    const record = this.describeExecution(executionArn);
    this.running.get(record.executionArn)?.abort();
    return { stopDate: nowMs() };
  }

  /** Resolves with the execution once it is no longer RUNNING. */
  async waitFor(executionArn: string): Promise<ExecutionRecord> {
    await this.running.get(executionArn)?.done;
    return this.describeExecution(executionArn);
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()].map((r) => r.done));
    await this.saving;
  }

  /** Aborts what is still running (recorded as ABORTED) and flushes the history. */
  async close(): Promise<void> {
    this.closing = true;
    for (const { abort } of this.running.values()) abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    await this.saving;
  }
}
