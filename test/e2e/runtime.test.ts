import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '#local/config';
import { isJsonObject, type Json } from '#local/json';
import { startTestRuntime, type TestRuntime } from '../integration/local/support';

let t: TestRuntime;

beforeAll(async () => {
  // The real runtime, real handler modules: no overrides.
  t = await startTestRuntime();
});
afterAll(async () => {
  await t?.stop();
});

/** Task state names of a definition, nested Map processors and Parallel branches included. */
function taskStates(definition: Json): string[] {
  if (!isJsonObject(definition) || !isJsonObject(definition.States)) return [];
  return Object.entries(definition.States).flatMap(([name, state]) => {
    if (!isJsonObject(state)) return [];
    const nested = [
      state.ItemProcessor,
      state.Iterator,
      ...(Array.isArray(state.Branches) ? state.Branches : []),
    ].flatMap((d) => (d === undefined ? [] : taskStates(d)));
    // A Distributed Map is rewritten into a local task of the same name.
    const isDistributed = state.Type === 'Map' && state.ItemReader !== undefined;
    return [...(state.Type === 'Task' || isDistributed ? [name] : []), ...nested];
  });
}

describe('the local runtime reproduces the whole template (infra cannot silently diverge)', () => {
  it('created every table and every bucket of the template', async () => {
    const { runtime } = t;
    const resources = Object.values(runtime.template.resources);
    const tables = runtime.template.tables();
    const buckets = runtime.template.buckets();
    expect(tables).toHaveLength(
      resources.filter((r) => /^AWS::DynamoDB::(Global)?Table$/.test(r.Type)).length,
    );
    expect(buckets).toHaveLength(resources.filter((r) => r.Type === 'AWS::S3::Bucket').length);
    const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
    const dynamo = new DynamoDBClient({
      endpoint: runtime.urls.dynamodb,
      region: runtime.template.region,
      credentials,
    });
    const s3 = new S3Client({
      endpoint: runtime.urls.s3,
      region: runtime.template.region,
      credentials,
      forcePathStyle: true,
    });
    for (const table of tables) {
      const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: table.name }));
      expect(Table?.KeySchema).toEqual(table.properties.KeySchema);
      expect((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName).sort()).toEqual(
        (table.properties.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName).sort(),
      );
    }
    for (const bucket of buckets) await s3.send(new HeadBucketCommand({ Bucket: bucket.name }));
    dynamo.destroy();
    s3.destroy();
  });

  it('has a local handler for every Task state of every state machine', () => {
    const { runtime } = t;
    const machines = runtime.template.stateMachines();
    expect(runtime.report.stateMachines.map((m) => m.logicalId).sort()).toEqual(
      machines.map((m) => m.logicalId).sort(),
    );
    for (const machine of machines) {
      const reported = runtime.report.stateMachines.find((m) => m.logicalId === machine.logicalId);
      expect(reported?.tasks.map((task) => task.state).sort(), machine.logicalId).toEqual(
        taskStates(machine.definition).sort(),
      );
      for (const task of reported?.tasks ?? []) {
        if (task.kind !== 'lambda') continue;
        expect(task.entry, `${machine.logicalId}/${task.state}`).toBeDefined();
        expect(existsSync(join(PROJECT_ROOT, task.entry ?? '')), task.entry).toBe(true);
      }
    }
  });

  it('imports every function module of the template and finds its handler export', async () => {
    const results = await t.runtime.verifyHandlers();
    expect(results.length).toBe(t.runtime.template.functions().length);
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });

  it('routes every API route, event rule target and schedule target to a template function', () => {
    const { report, template } = t.runtime;
    const [api] = template.httpApis();
    expect(report.routes).toHaveLength(api?.routes.length ?? -1);
    for (const route of report.routes) expect(route.entry, route.routeKey).toBeDefined();
    expect(report.rules).toBe(template.rules().length);
    for (const schedule of template.schedules()) {
      expect(report.schedules).toContainEqual({ group: schedule.groupName, name: schedule.name });
    }
  });
});

describe('smoke', () => {
  it('GET /health answers 200 without a token through the real runtime and api-cycles (public route)', async () => {
    const response = await fetch(`${t.runtime.urls.api}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/json/);
  });
});
