import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj, type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';

/**
 * The one place Powertools is set up (as the Powertools sample app's `commons/powertools`): a
 * function's Logger, Tracer and Metrics, named after its service (`POWERTOOLS_SERVICE_NAME`,
 * `indeks-<Function>` in infra/constructs/house-function.ts).
 *
 * The service name is read when they are first asked for, never at import time: in the local
 * runtime every function runs in one process, modules are evaluated once, and `process.env` is the
 * environment of the invocation running (local/env.ts). A logger made at module level in a shared
 * file would carry the name of whichever function imported it first (national tasks logged as
 * `indeks-ApiCycles`). So there is one set per service name; on Lambda that is one per container.
 */
export interface Observability {
  readonly service: string;
  readonly logger: Logger;
  readonly tracer: Tracer;
  readonly metrics: Metrics;
}

/** Every metric the system emits lands in this CloudWatch namespace (EMF). */
export const METRICS_NAMESPACE = 'Indeks';
const DEFAULT_SERVICE = 'indeks';

const byService = new Map<string, Observability>();

/** The current function's Logger, Tracer and Metrics (see above). */
export function observability(): Observability {
  const service = process.env.POWERTOOLS_SERVICE_NAME || DEFAULT_SERVICE;
  let found = byService.get(service);
  if (!found) {
    found = {
      service,
      logger: new Logger({ serviceName: service }),
      // Off unless running on Lambda (AWS_EXECUTION_ENV) and POWERTOOLS_TRACE_ENABLED is not
      // "false": in tests and in the local runtime, every tracer call is a no-op.
      tracer: new Tracer({ serviceName: service }),
      metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service }),
    };
    byService.set(service, found);
  }
  return found;
}

/** The current function's logger (see `observability`). */
export const logger = (): Logger => observability().logger;

/** An SDK v3 client whose calls become X-Ray subsegments when tracing is on; unchanged otherwise. */
export function traced<T>(client: T): T {
  const { tracer } = observability();
  return tracer.isTracingEnabled() ? tracer.captureAWSv3Client(client) : client;
}

/**
 * The Powertools middlewares every handler carries: the Lambda context in every log line (request
 * id, function name, cold start) and the handler as a traced segment. Metrics are emitted at once
 * (`OperatorMetrics`), so nothing is left buffered to flush.
 */
export function powertools(): MiddlewareObj[] {
  const { logger, tracer } = observability();
  return [injectLambdaContext(logger, { resetKeys: true }), captureLambdaHandler(tracer)];
}

/**
 * A Step Functions task or event handler with the Powertools middlewares. The instances are chosen
 * on the first invocation, inside the function's own environment (see `observability`). Called
 * without a Lambda context (one handler calling another in-process, a test), it is the plain handler.
 */
export function lambdaHandler<E, R>(
  handler: (event: E, context?: Context) => Promise<R>,
): (event: E, context?: Context) => Promise<R> {
  let wrapped: MiddyfiedHandler<E, R> | undefined;
  return (event, context) => {
    if (!context) return handler(event);
    wrapped ??= powertools().reduce(
      (chain, middleware) => chain.use(middleware),
      middy<E, R>().handler((e: E, c: Context) => handler(e, c)),
    );
    return wrapped(event, context);
  };
}

export type SubmissionOutcome = 'accepted' | 'rejected' | 'late';

/**
 * What operators watch, as CloudWatch Embedded Metric Format (one JSON line on stdout each,
 * namespace `Indeks`, dimension `service` and, where a cycle is known, `cycle`). Each metric is
 * written when it happens (`singleMetric`): concurrent invocations in the local runtime share no buffer.
 */
export interface OperatorMetrics {
  /** A submission accepted or rejected by validation, or an upload that came after the window. */
  submission(cycleId: string, outcome: SubmissionOutcome): void;
  /** Milliseconds from reading an upload to its stored validation report. */
  validationTime(cycleId: string, ms: number): void;
  /** Milliseconds from a national run's start to its provisional results. */
  nationalRunDuration(cycleId: string, ms: number): void;
  /** Regions whose data a national run could not process (the run must be repeated). */
  regionsFailed(cycleId: string, count: number): void;
}

const SUBMISSION_METRIC: Record<SubmissionOutcome, string> = {
  accepted: 'SubmissionsAccepted',
  rejected: 'SubmissionsRejected',
  late: 'SubmissionsLate',
};

function emit(
  cycleId: string,
  name: string,
  unit: (typeof MetricUnit)[keyof typeof MetricUnit],
  value: number,
): void {
  const single = observability().metrics.singleMetric();
  single.addDimension('cycle', cycleId);
  single.addMetric(name, unit, value);
}

export const operatorMetrics: OperatorMetrics = {
  submission: (cycleId, outcome) => emit(cycleId, SUBMISSION_METRIC[outcome], MetricUnit.Count, 1),
  validationTime: (cycleId, ms) => emit(cycleId, 'ValidationTime', MetricUnit.Milliseconds, ms),
  nationalRunDuration: (cycleId, ms) => emit(cycleId, 'NationalRunDuration', MetricUnit.Milliseconds, ms),
  regionsFailed: (cycleId, count) => emit(cycleId, 'RegionsFailed', MetricUnit.Count, count),
};
