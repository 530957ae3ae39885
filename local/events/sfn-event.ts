import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../json';
import type { ExecutionRecord } from '../stepfunctions/service';

/**
 * The EventBridge event Step Functions sends when a Standard execution changes status
 * ("Step Functions Execution Status Change", source `aws.states`), built from a local execution
 * record, so the template's rules on it (e.g. a run whose execution ended unfinished) match as in AWS.
 */
export function executionStatusChangeEvent(
  record: ExecutionRecord,
  region: string,
  accountId: string,
): JsonObject {
  const at = record.stopDate ?? record.startDate;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: accountId,
    time: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [record.executionArn],
    detail: {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: record.startDate,
      stopDate: record.stopDate ?? null,
      input: record.input,
      output: record.output ?? null,
      inputDetails: { included: true },
      outputDetails: record.output === undefined ? null : { included: true },
      error: record.error ?? null,
      cause: record.cause ?? null,
    },
  };
}
