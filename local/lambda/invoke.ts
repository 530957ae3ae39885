import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { withEnv } from '../env';
import { type Json, throughJson } from '../json';
import { errorText, type Logger } from '../log';
import type { FunctionSpec } from '../template/model';
import { lambdaContext, lambdaEnvironment } from './context';
import type { FunctionRegistry } from './registry';

export type Handler = (event: Json, context: Context) => unknown;

/**
 * Handlers to use instead of a function's module, keyed by entry (`functions/ingest-upload.ts`),
 * function name or logical id: for probes in tests while the real handlers are being written.
 */
export type HandlerOverrides = Record<string, Handler>;

/** What Lambda reports for a failed invocation (the Node.js runtime's error payload). */
export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

export type InvokeResult = { ok: true; payload: Json } | { ok: false; error: LambdaError };

export interface DeadLetter {
  at: string;
  functionName: string;
  source: string;
  destination: string | undefined;
  event: Json;
  error: LambdaError;
}

function toLambdaError(error: unknown): LambdaError {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function isHandler(value: unknown): value is Handler {
  return typeof value === 'function';
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((done) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      done();
    });
  });

export interface LambdaRuntimeOptions {
  projectRoot: string;
  registry: FunctionRegistry;
  region: string;
  logger: Logger;
  overrides?: HandlerOverrides;
  /** Waits between asynchronous retries (Lambda waits ~1 and ~2 minutes; compressed locally). */
  asyncRetryDelaysMs?: readonly number[];
  /** Where dead letters are appended as JSON lines (the on-failure destination, locally). */
  deadLetterFile?: string;
  /**
   * Invocations of one function running at once; more wait their turn (default 4). On AWS every
   * invocation has its own memory; here they share one process, so a burst of 552 uploads would
   * otherwise validate 552 workbooks at once and hold them all in memory.
   */
  concurrencyPerFunction?: number;
}

/** Dead letters kept in memory for `/_local/dead-letters`; all of them stay in the file. */
const DEAD_LETTERS_IN_MEMORY = 500;

/** A counting semaphore: at most `limit` holders, the others queued in arrival order. */
class Slots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` stays counted.
      if (next) next();
      else this.active--;
    };
  }
}

/**
 * Runs handlers in this process the way Lambda would: the function's own environment, a Lambda
 * context, the function timeout, JSON in and JSON out, and Lambda's error payload on failure.
 * Handler modules are imported on first use (inside their function's environment, so module-level
 * reads of process.env see the right values) and then stay warm, like a Lambda container.
 */
export class LambdaRuntime {
  readonly deadLetters: DeadLetter[] = [];
  private readonly modules = new Map<string, Promise<Handler>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly stopping = new AbortController();
  private readonly slots = new Map<string, Slots>();

  constructor(private readonly options: LambdaRuntimeOptions) {}

  get registry(): FunctionRegistry {
    return this.options.registry;
  }

  private override(fn: FunctionSpec): Handler | undefined {
    const o = this.options.overrides ?? {};
    return (fn.entry ? o[fn.entry] : undefined) ?? o[fn.name] ?? o[fn.logicalId];
  }

  /** The handler of a function: its override, or `handler` exported by its entry module. */
  loadHandler(fn: FunctionSpec): Promise<Handler> {
    const override = this.override(fn);
    if (override) return Promise.resolve(override);
    const entry = fn.entry;
    if (!entry) {
      return Promise.reject(
        new Error(`${fn.path ?? fn.logicalId}: no indeks:entry metadata, cannot find its handler`),
      );
    }
    let loading = this.modules.get(entry);
    if (!loading) {
      const url = pathToFileURL(resolve(this.options.projectRoot, entry)).href;
      loading = withEnv(lambdaEnvironment(fn, this.options.region), () => import(url)).then(
        (module: unknown) => {
          const handler =
            typeof module === 'object' && module !== null ? Reflect.get(module, 'handler') : undefined;
          if (!isHandler(handler)) throw new Error(`${entry} does not export a function named "handler"`);
          return handler;
        },
      );
      loading.catch(() => this.modules.delete(entry));
      this.modules.set(entry, loading);
    }
    return loading;
  }

  /** One synchronous invocation (RequestResponse). Never throws: failures come back as Lambda errors. */
  invoke(fn: FunctionSpec, event: unknown, source: string): Promise<InvokeResult> {
    const run = this.run(fn, event, source);
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  private async run(fn: FunctionSpec, event: unknown, source: string): Promise<InvokeResult> {
    let slots = this.slots.get(fn.logicalId);
    if (!slots) {
      slots = new Slots(Math.max(1, this.options.concurrencyPerFunction ?? 4));
      this.slots.set(fn.logicalId, slots);
    }
    const release = await slots.acquire();
    try {
      return await this.runNow(fn, event, source);
    } finally {
      release();
    }
  }

  private async runNow(fn: FunctionSpec, event: unknown, source: string): Promise<InvokeResult> {
    const started = performance.now();
    const deadline = started + fn.timeoutSeconds * 1000;
    const requestId = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    try {
      const handler = await this.loadHandler(fn);
      const input = throughJson(event);
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new Error(`Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`);
          error.name = 'Sandbox.Timedout';
          reject(error);
        }, fn.timeoutSeconds * 1000);
      });
      const env = lambdaEnvironment(fn, this.options.region);
      const result = await withEnv({ ...env, _X_AMZN_REQUEST_ID: requestId }, () =>
        Promise.race([
          Promise.resolve().then(() => handler(input, lambdaContext(fn, deadline, requestId))),
          timeout,
        ]),
      );
      this.options.logger.debug(
        `${fn.name} ← ${source}: ok in ${Math.round(performance.now() - started)} ms`,
      );
      return { ok: true, payload: throughJson(result) };
    } catch (error) {
      this.options.logger.debug(`${fn.name} ← ${source}: ${errorText(error)}`);
      return { ok: false, error: toLambdaError(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * An asynchronous invocation (Event), as EventBridge and Scheduler make: function errors are
   * retried `maximumRetryAttempts` times (the function's EventInvokeConfig), then the event is
   * recorded as a dead letter for its on-failure destination. Resolves when it settled.
   */
  invokeAsync(fn: FunctionSpec, event: unknown, source: string): Promise<InvokeResult> {
    const run = this.runAsync(fn, event, source);
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  private async runAsync(fn: FunctionSpec, event: unknown, source: string): Promise<InvokeResult> {
    const delays = this.options.asyncRetryDelaysMs ?? [1000, 2000];
    let result = await this.invoke(fn, event, source);
    for (let attempt = 1; !result.ok && attempt <= fn.async.maximumRetryAttempts; attempt++) {
      if (this.stopping.signal.aborted) break;
      this.options.logger.warn(
        `${fn.entry ?? fn.name} gagal / failed (${result.error.errorType}: ${result.error.errorMessage}); ulang / retry ${attempt}/${fn.async.maximumRetryAttempts}`,
      );
      await sleep(delays[Math.min(attempt - 1, delays.length - 1)] ?? 1000, this.stopping.signal);
      if (this.stopping.signal.aborted) break;
      result = await this.invoke(fn, event, source);
    }
    if (!result.ok) await this.deadLetter(fn, event, source, result.error);
    return result;
  }

  private async deadLetter(
    fn: FunctionSpec,
    event: unknown,
    source: string,
    error: LambdaError,
  ): Promise<void> {
    const letter: DeadLetter = {
      at: new Date().toISOString(),
      functionName: fn.name,
      source,
      destination: fn.async.onFailure,
      event: throughJson(event),
      error,
    };
    this.deadLetters.push(letter);
    if (this.deadLetters.length > DEAD_LETTERS_IN_MEMORY) this.deadLetters.shift();
    this.options.logger.error(
      `${fn.entry ?? fn.name} gagal setelah semua percobaan; peristiwa masuk antrean gagal / failed after all retries; event dead-lettered (${error.errorType}: ${error.errorMessage})`,
    );
    if (this.options.deadLetterFile) {
      await appendFile(this.options.deadLetterFile, `${JSON.stringify(letter)}\n`).catch(() => {});
    }
  }

  /** Resolves once no invocation (including pending retries) is running. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Cancels pending retries; running handlers cannot be interrupted, they are awaited by idle(). */
  stop(): void {
    this.stopping.abort();
  }
}
