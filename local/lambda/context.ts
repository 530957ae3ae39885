import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { FunctionSpec } from '../template/model';

/** The Lambda context object a handler receives; remaining time counts down from the function timeout. */
export function lambdaContext(fn: FunctionSpec, deadline: number, requestId: string = randomUUID()): Context {
  const logStream = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]local`;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: fn.arn,
    memoryLimitInMB: String(fn.memorySize),
    awsRequestId: requestId,
    logGroupName: fn.logGroup ?? `/aws/lambda/${fn.name}`,
    logStreamName: logStream,
    getRemainingTimeInMillis: () => Math.max(0, deadline - performance.now()),
    done: () => {
      throw new Error('callback-style handlers are not supported by the nodejs24.x runtime');
    },
    fail: () => {
      throw new Error('callback-style handlers are not supported by the nodejs24.x runtime');
    },
    succeed: () => {
      throw new Error('callback-style handlers are not supported by the nodejs24.x runtime');
    },
  };
}

/** Environment Lambda adds to every function's own variables. */
export function lambdaEnvironment(fn: FunctionSpec, region: string): Record<string, string> {
  return {
    ...fn.environment,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroup ?? `/aws/lambda/${fn.name}`,
    ...(fn.logFormat ? { AWS_LAMBDA_LOG_FORMAT: fn.logFormat } : {}),
    ...(fn.logLevel ? { AWS_LAMBDA_LOG_LEVEL: fn.logLevel } : {}),
    // No X-Ray daemon here: the Tracer stays a no-op (it is off without AWS_EXECUTION_ENV too).
    POWERTOOLS_TRACE_ENABLED: 'false',
  };
}
