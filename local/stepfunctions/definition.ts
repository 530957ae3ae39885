import { isJsonObject, type Json, type JsonObject } from '../json';
import type { FunctionRegistry } from '../lambda/registry';
import type { FunctionSpec, StateMachineSpec } from '../template/model';

/** Resource of the Task a Distributed Map is rewritten into (handled by the local map runner). */
export const LOCAL_MAP_RESOURCE = 'arn:aws:states:::indeks-local:distributedMap';

/**
 * A Task without TimeoutSeconds runs until its Lambda's own timeout in AWS; aws-local-stepfunctions
 * would stop it after 60 s. The invoker enforces the function timeout, so the state gets a bound
 * that never fires first (Node timers overflow above ~24.8 days).
 */
const UNBOUNDED_TASK_SECONDS = 2_000_000;

const DYNAMODB_ACTIONS = ['getItem', 'putItem', 'updateItem', 'deleteItem'] as const;
export type DynamoAction = (typeof DYNAMODB_ACTIONS)[number];

export interface DistributedMapSpec {
  /** The item processor as a state machine of its own (each batch is a child execution). */
  processor: JsonObject;
  reader: { resource: string; config: JsonObject } | undefined;
  batcher: { maxItemsPerBatch: number | undefined; maxInputBytesPerBatch: number | undefined } | undefined;
  writer: { resource: string; config: JsonObject } | undefined;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  toleratedFailureCount: number;
  label: string;
}

export type TaskTarget =
  | { kind: 'lambda'; style: 'arn' | 'invoke'; function: FunctionSpec | undefined }
  | { kind: 'dynamodb'; action: DynamoAction }
  | { kind: 'distributedMap'; map: DistributedMapSpec };

export interface CompiledMachine {
  spec: StateMachineSpec;
  /** The definition as run locally (Distributed Maps rewritten, Task timeouts set). */
  definition: JsonObject;
  /** Every Task state, by name (state names are unique across a whole state machine). */
  tasks: Map<string, TaskTarget>;
}

export class UnsupportedDefinitionError extends Error {
  constructor(machine: string, state: string, detail: string) {
    super(`${machine} / ${state}: ${detail} (not supported by the local runtime)`);
    this.name = 'UnsupportedDefinitionError';
  }
}

function num(value: Json | undefined): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function copyIf(from: JsonObject, to: JsonObject, keys: readonly string[]): void {
  for (const key of keys) {
    const value = from[key];
    if (value !== undefined) to[key] = value;
  }
}

class Compiler {
  readonly tasks = new Map<string, TaskTarget>();

  constructor(
    private readonly machine: string,
    private readonly registry: FunctionRegistry,
  ) {}

  private fail(state: string, detail: string): never {
    throw new UnsupportedDefinitionError(this.machine, state, detail);
  }

  private register(name: string, target: TaskTarget): void {
    if (this.tasks.has(name)) this.fail(name, 'duplicate state name');
    this.tasks.set(name, target);
  }

  states(definition: JsonObject): JsonObject {
    const states = definition.States;
    if (!isJsonObject(states)) this.fail('(root)', 'no States');
    if (definition.QueryLanguage === 'JSONata')
      this.fail('(root)', 'QueryLanguage JSONata (aws-local-stepfunctions runs JSONPath only)');
    const out: JsonObject = {};
    for (const [name, state] of Object.entries(states)) {
      if (!isJsonObject(state)) this.fail(name, 'state is not an object');
      if (state.QueryLanguage === 'JSONata') this.fail(name, 'QueryLanguage JSONata');
      if (state.Assign !== undefined) this.fail(name, 'Assign (variables)');
      out[name] = this.state(name, state);
    }
    return { ...definition, States: out };
  }

  private state(name: string, state: JsonObject): JsonObject {
    switch (state.Type) {
      case 'Task':
        return this.task(name, state);
      case 'Parallel': {
        const branches = Array.isArray(state.Branches) ? state.Branches : [];
        return {
          ...state,
          Branches: branches.map((b) =>
            isJsonObject(b) ? this.states(b) : this.fail(name, 'malformed branch'),
          ),
        };
      }
      case 'Map': {
        const processor = isJsonObject(state.ItemProcessor)
          ? state.ItemProcessor
          : isJsonObject(state.Iterator)
            ? state.Iterator
            : undefined;
        if (!processor) this.fail(name, 'Map without ItemProcessor');
        const config = isJsonObject(processor.ProcessorConfig) ? processor.ProcessorConfig : {};
        if (config.Mode === 'DISTRIBUTED' || state.ItemReader !== undefined)
          return this.distributedMap(name, state, processor);
        const key = isJsonObject(state.ItemProcessor) ? 'ItemProcessor' : 'Iterator';
        return { ...state, [key]: this.states(processor) };
      }
      default:
        return state;
    }
  }

  private task(name: string, state: JsonObject): JsonObject {
    const resource =
      typeof state.Resource === 'string' ? state.Resource : this.fail(name, 'Task without Resource');
    const out: JsonObject = { ...state };
    if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined)
      out.TimeoutSeconds = UNBOUNDED_TASK_SECONDS;
    if (/^arn:[^:]+:lambda:/.test(resource)) {
      const fn = this.registry.find(resource);
      if (!fn) this.fail(name, `Resource ${resource} is not a function of the template`);
      this.register(name, { kind: 'lambda', style: 'arn', function: fn });
      return out;
    }
    const service = /^arn:[^:]+:states:::([a-z0-9-]+):([A-Za-z0-9.]+)$/.exec(resource);
    if (!service) this.fail(name, `Resource ${resource}`);
    const [, api, action] = service;
    if (api === 'lambda' && action === 'invoke') {
      const parameters = isJsonObject(state.Parameters) ? state.Parameters : {};
      const fixed = typeof parameters.FunctionName === 'string' ? parameters.FunctionName : undefined;
      const fn = fixed ? this.registry.find(fixed) : undefined;
      if (fixed && !fn) this.fail(name, `FunctionName ${fixed} is not a function of the template`);
      if (!fixed && typeof parameters['FunctionName.$'] !== 'string')
        this.fail(name, 'lambda:invoke without FunctionName');
      this.register(name, { kind: 'lambda', style: 'invoke', function: fn });
      return out;
    }
    if (api === 'dynamodb' && (DYNAMODB_ACTIONS as readonly string[]).includes(action ?? '')) {
      this.register(name, { kind: 'dynamodb', action: action as DynamoAction });
      return out;
    }
    return this.fail(name, `service integration ${api}:${action}`);
  }

  /**
   * Distributed Map → a Task of the local map runner. The Task keeps the Map's InputPath,
   * ResultSelector, ResultPath, OutputPath, Retry and Catch; its Parameters collect what the runner
   * needs, so the emulator evaluates every path of ItemReader, ItemBatcher and ResultWriter exactly
   * where Step Functions would (against the state's input).
   */
  private distributedMap(name: string, state: JsonObject, processor: JsonObject): JsonObject {
    if (state.ItemSelector !== undefined || state.Parameters !== undefined) {
      this.fail(name, 'ItemSelector on a Distributed Map');
    }
    const reader = isJsonObject(state.ItemReader) ? state.ItemReader : undefined;
    const batcher = isJsonObject(state.ItemBatcher) ? state.ItemBatcher : undefined;
    const writer = isJsonObject(state.ResultWriter) ? state.ResultWriter : undefined;
    const parameters: JsonObject = { 'input.$': '$' };
    if (reader) {
      if (typeof reader.Resource !== 'string') this.fail(name, 'ItemReader without Resource');
      if (reader.Parameters !== undefined) parameters.reader = reader.Parameters;
      const config = isJsonObject(reader.ReaderConfig) ? reader.ReaderConfig : {};
      if (typeof config.MaxItemsPath === 'string') parameters['maxItems.$'] = config.MaxItemsPath;
    } else {
      parameters['items.$'] = typeof state.ItemsPath === 'string' ? state.ItemsPath : '$';
    }
    if (batcher) {
      if (batcher.BatchInput !== undefined) parameters.batchInput = batcher.BatchInput;
      if (typeof batcher.MaxItemsPerBatchPath === 'string')
        parameters['maxItemsPerBatch.$'] = batcher.MaxItemsPerBatchPath;
      if (typeof batcher.MaxInputBytesPerBatchPath === 'string')
        parameters['maxInputBytesPerBatch.$'] = batcher.MaxInputBytesPerBatchPath;
    }
    if (writer?.Parameters !== undefined) parameters.writer = writer.Parameters;
    if (typeof state.MaxConcurrencyPath === 'string')
      parameters['maxConcurrency.$'] = state.MaxConcurrencyPath;
    if (typeof state.ToleratedFailurePercentagePath === 'string') {
      parameters['toleratedFailurePercentage.$'] = state.ToleratedFailurePercentagePath;
    }
    if (typeof state.ToleratedFailureCountPath === 'string')
      parameters['toleratedFailureCount.$'] = state.ToleratedFailureCountPath;

    const { ProcessorConfig: _config, ...processorStates } = processor;
    const map: DistributedMapSpec = {
      processor: onProductClock(this.states(processorStates)) as JsonObject,
      reader: reader
        ? {
            resource: String(reader.Resource),
            config: isJsonObject(reader.ReaderConfig) ? reader.ReaderConfig : {},
          }
        : undefined,
      batcher: batcher
        ? {
            maxItemsPerBatch: num(batcher.MaxItemsPerBatch),
            maxInputBytesPerBatch: num(batcher.MaxInputBytesPerBatch),
          }
        : undefined,
      writer: writer
        ? {
            resource: typeof writer.Resource === 'string' ? writer.Resource : 'arn:aws:states:::s3:putObject',
            config: isJsonObject(writer.WriterConfig) ? writer.WriterConfig : {},
          }
        : undefined,
      maxConcurrency: num(state.MaxConcurrency) ?? 0,
      toleratedFailurePercentage: num(state.ToleratedFailurePercentage) ?? 0,
      toleratedFailureCount: num(state.ToleratedFailureCount) ?? 0,
      label: typeof state.Label === 'string' ? state.Label : name,
    };
    this.register(name, { kind: 'distributedMap', map });
    const task: JsonObject = {
      Type: 'Task',
      Resource: LOCAL_MAP_RESOURCE,
      Parameters: parameters,
      TimeoutSeconds: UNBOUNDED_TASK_SECONDS,
    };
    copyIf(state, task, [
      'Comment',
      'InputPath',
      'ResultSelector',
      'ResultPath',
      'OutputPath',
      'Retry',
      'Catch',
      'Next',
      'End',
    ]);
    return task;
  }
}

/**
 * The context field that carries an execution's start on the product clock. aws-local-stepfunctions
 * sets `$$.Execution.StartTime` itself from the real clock, after our context, so a run started
 * after the local clock moved days ahead recorded a start days before its own results. Paths to
 * `$$.Execution.StartTime` are pointed at this field instead, which the service fills.
 */
export const PRODUCT_START_TIME = 'IndeksProductStartTime';

function onProductClock(value: Json): Json {
  if (typeof value === 'string')
    // A replacer function: in a replacement string `$$` would mean a single `$`.
    return value.replaceAll('$$.Execution.StartTime', () => `$$.Execution.${PRODUCT_START_TIME}`);
  if (Array.isArray(value)) return value.map(onProductClock);
  if (isJsonObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, onProductClock(v)]));
  return value;
}

/** Rewrites a template state machine for local runs and maps each Task state to what runs it. */
export function compileMachine(spec: StateMachineSpec, registry: FunctionRegistry): CompiledMachine {
  const compiler = new Compiler(spec.logicalId, registry);
  const definition = onProductClock(compiler.states(spec.definition)) as JsonObject;
  return { spec, definition, tasks: compiler.tasks };
}
