import { randomUUID } from 'node:crypto';
import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { isJsonObject, type Json, throughJson } from '../json';
import type { LambdaError, LambdaRuntime } from '../lambda/invoke';
import type { DynamoAction, TaskTarget } from './definition';
import { TaskFailure } from './errors';

export type TaskHandler = (input: Json) => Promise<Json>;

/** Lambda's error payload as the Cause, its error type as the Error (what Retry/Catch match). */
function lambdaFailure(error: LambdaError): TaskFailure {
  return new TaskFailure(error.errorType, JSON.stringify(error));
}

function lambdaTask(
  target: Extract<TaskTarget, { kind: 'lambda' }>,
  lambda: LambdaRuntime,
  source: string,
): TaskHandler {
  if (target.style === 'arn') {
    const fn = target.function;
    return async (input) => {
      if (!fn) throw new TaskFailure('States.Runtime', 'no function');
      const result = await lambda.invoke(fn, input, source);
      if (!result.ok) throw lambdaFailure(result.error);
      return result.payload;
    };
  }
  // arn:aws:states:::lambda:invoke — Parameters carry FunctionName and Payload; the state gets
  // the Invoke API's response, so definitions selecting `$.Payload` work as in AWS.
  return async (input): Promise<Json> => {
    const params = isJsonObject(input) ? input : {};
    const name = typeof params.FunctionName === 'string' ? params.FunctionName : '';
    const fn = target.function ?? lambda.registry.find(name);
    if (!fn) throw new TaskFailure('Lambda.ResourceNotFoundException', `Function not found: ${name}`);
    const payload = params.Payload === undefined ? {} : params.Payload;
    const requestId = randomUUID();
    if (params.InvocationType === 'Event') {
      void lambda.invokeAsync(fn, payload, source);
      return { Payload: '', StatusCode: 202, SdkResponseMetadata: { RequestId: requestId } };
    }
    const result = await lambda.invoke(fn, payload, source);
    if (!result.ok) throw lambdaFailure(result.error);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-Amz-Executed-Version': '$LATEST',
      'x-amzn-RequestId': requestId,
    };
    return {
      ExecutedVersion: '$LATEST',
      Payload: result.payload,
      SdkHttpMetadata: {
        AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
        HttpHeaders: headers,
        HttpStatusCode: 200,
      },
      SdkResponseMetadata: { RequestId: requestId },
      StatusCode: 200,
    };
  };
}

type DynamoInput<C> = C extends new (input: infer I) => unknown ? I : never;

async function sendDynamo(action: DynamoAction, dynamo: DynamoDBClient, params: unknown): Promise<object> {
  // Parameters arrive in the low-level AttributeValue format the integration itself takes.
  switch (action) {
    case 'getItem':
      return dynamo.send(new GetItemCommand(params as DynamoInput<typeof GetItemCommand>));
    case 'putItem':
      return dynamo.send(new PutItemCommand(params as DynamoInput<typeof PutItemCommand>));
    case 'updateItem':
      return dynamo.send(new UpdateItemCommand(params as DynamoInput<typeof UpdateItemCommand>));
    case 'deleteItem':
      return dynamo.send(new DeleteItemCommand(params as DynamoInput<typeof DeleteItemCommand>));
  }
}

/** The optimized DynamoDB integration, done with the real SDK against the local table. */
function dynamoTask(action: DynamoAction, dynamo: DynamoDBClient): TaskHandler {
  return async (input) => {
    try {
      const output = await sendDynamo(action, dynamo, isJsonObject(input) ? input : {});
      const { $metadata: _metadata, ...rest } = output as { $metadata?: unknown };
      return throughJson(rest);
    } catch (error) {
      if (error instanceof Error) throw new TaskFailure(`DynamoDB.${error.name}`, error.message);
      throw error;
    }
  };
}

export interface TaskServices {
  lambda: LambdaRuntime;
  dynamo: DynamoDBClient;
  /** Runs a Distributed Map (the runner needs the execution's identity, so it is given per run). */
  distributedMap: (target: Extract<TaskTarget, { kind: 'distributedMap' }>, stateName: string) => TaskHandler;
}

/** One local override per Task state: none is left to call real AWS. */
export function taskHandlers(
  tasks: ReadonlyMap<string, TaskTarget>,
  services: TaskServices,
  source: string,
): Record<string, TaskHandler> {
  const handlers: Record<string, TaskHandler> = {};
  for (const [name, target] of tasks) {
    handlers[name] =
      target.kind === 'lambda'
        ? lambdaTask(target, services.lambda, `${source} / ${name}`)
        : target.kind === 'dynamodb'
          ? dynamoTask(target.action, services.dynamo)
          : services.distributedMap(target, name);
  }
  return handlers;
}
