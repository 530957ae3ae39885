import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../http/io';
import { isJsonObject, type JsonObject, parseJson } from '../json';
import { ServiceError } from './errors';
import type { ExecutionRecord, StepFunctionsService } from './service';

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

function str(body: JsonObject, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' ? value : undefined;
}

function describe(r: ExecutionRecord): JsonObject {
  return {
    executionArn: r.executionArn,
    stateMachineArn: r.stateMachineArn,
    name: r.name,
    status: r.status,
    startDate: r.startDate / 1000,
    ...(r.stopDate !== undefined ? { stopDate: r.stopDate / 1000 } : {}),
    input: r.input,
    inputDetails: { included: true },
    ...(r.output !== undefined ? { output: r.output, outputDetails: { included: true } } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.cause !== undefined ? { cause: r.cause } : {}),
  };
}

function operate(service: StepFunctionsService, operation: string, body: JsonObject): JsonObject {
  switch (operation) {
    case 'StartExecution': {
      const started = service.startExecution({
        stateMachineArn: str(body, 'stateMachineArn'),
        name: str(body, 'name'),
        input: str(body, 'input'),
      });
      return { executionArn: started.executionArn, startDate: started.startDate / 1000 };
    }
    case 'DescribeExecution':
      return describe(service.describeExecution(str(body, 'executionArn')));
    case 'StopExecution':
      return { stopDate: service.stopExecution(str(body, 'executionArn')).stopDate / 1000 };
    case 'ListExecutions': {
      const all = service.listExecutions(str(body, 'stateMachineArn'), str(body, 'statusFilter'));
      const max = typeof body.maxResults === 'number' && body.maxResults > 0 ? body.maxResults : 100;
      const offset = Number(str(body, 'nextToken') ?? 0) || 0;
      const page = all.slice(offset, offset + max);
      return {
        executions: page.map((r) => ({
          executionArn: r.executionArn,
          stateMachineArn: r.stateMachineArn,
          name: r.name,
          status: r.status,
          startDate: r.startDate / 1000,
          ...(r.stopDate !== undefined ? { stopDate: seconds(r.stopDate) ?? 0 } : {}),
        })),
        ...(offset + max < all.length ? { nextToken: String(offset + max) } : {}),
      };
    }
    case 'ListStateMachines':
      return {
        stateMachines: service.compiled.map((m) => ({
          stateMachineArn: m.spec.arn,
          name: m.spec.name,
          type: m.spec.type,
          creationDate: 0,
        })),
      };
    case 'DescribeStateMachine': {
      const machine = service.compiled.find((m) => m.spec.arn === str(body, 'stateMachineArn'));
      if (!machine)
        throw new ServiceError(
          'StateMachineDoesNotExist',
          `State Machine Does Not Exist: '${str(body, 'stateMachineArn') ?? ''}'`,
        );
      return {
        stateMachineArn: machine.spec.arn,
        name: machine.spec.name,
        status: 'ACTIVE',
        definition: JSON.stringify(machine.spec.definition),
        roleArn: `arn:aws:iam::000000000000:role/${machine.spec.logicalId}Role`,
        type: machine.spec.type,
        creationDate: 0,
      };
    }
    default:
      throw new ServiceError(
        'UnknownOperationException',
        `${operation} is not supported by the local Step Functions`,
      );
  }
}

/**
 * The Step Functions API on the wire (awsJson1_0: `POST /`, `X-Amz-Target: AWSStepFunctions.<Op>`),
 * so handlers calling `SFNClient.send(new StartExecutionCommand(...))` work unchanged.
 */
export async function handleStepFunctions(
  service: StepFunctionsService,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const target = request.headers['x-amz-target'];
  const operation = typeof target === 'string' ? target.replace(/^AWSStepFunctions\./, '') : '';
  try {
    const text = (await readBody(request)).toString('utf8');
    const body = text ? parseJson(text) : {};
    const result = operate(service, operation, isJsonObject(body) ? body : {});
    sendJson(response, 200, result, { 'content-type': 'application/x-amz-json-1.0' });
  } catch (error) {
    const e = error instanceof ServiceError ? error : new ServiceError('InternalFailure', String(error), 500);
    sendJson(
      response,
      e.status,
      { __type: `com.amazonaws.sfn#${e.code}`, message: e.message },
      {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-errortype': e.code,
      },
    );
  }
}
