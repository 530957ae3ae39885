import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { HouseFunction } from './house-function';

/**
 * Errors worth retrying: the Lambda service's own transient failures, throttling, and the
 * `TransientError` name every handler throws for a dependency hiccup the SDK's own retries could
 * not absorb (classified once, in `shared/adapters/transient.ts`).
 */
export const TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'TransientError',
];

/** How many times a task failing with a transient error is retried (after its first attempt). */
export const TRANSIENT_MAX_RETRIES = 6;

/** Exponential backoff with full jitter, capped, so retries of many executions spread out. */
export function retryTransient(task: tasks.LambdaInvoke): tasks.LambdaInvoke {
  task.addRetry({
    errors: TRANSIENT_ERRORS,
    interval: Duration.seconds(2),
    maxAttempts: TRANSIENT_MAX_RETRIES,
    backoffRate: 2,
    maxDelay: Duration.seconds(60),
    jitterStrategy: sfn.JitterType.FULL,
  });
  return task;
}

/**
 * The one way a pipeline calls a function: a Task state named `name` (construct id `{name}State`)
 * that passes the Lambda's own result to `resultPath`, retried on transient errors only (the
 * Lambda service-exception retries CDK would add are replaced by `retryTransient`'s).
 */
export function invokeTask(
  scope: Construct,
  name: string,
  fn: HouseFunction,
  resultPath: string,
  comment: string,
): tasks.LambdaInvoke {
  return retryTransient(
    new tasks.LambdaInvoke(scope, `${name}State`, {
      stateName: name,
      comment,
      lambdaFunction: fn.fn,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      resultPath,
    }),
  );
}
