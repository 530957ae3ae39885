import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { CycleCalendar } from '#adapters/dynamo/index';
import type { ObjectStore } from '#adapters/object-store';
import type { LoadedMethodology } from '#domain/methodology/load';
import { getMethodology } from '#domain/methodology/registry';
import type { ApiEvent, ApiResponse } from '#http/api';
import { apiEvent } from '../../support/api-event';
import { type S3EventRecord, startEmulators } from '../../support/emulators';
import type { TestTable } from '../dynamo/dynalite-table';

export const BUCKET = 'indeks-uploads';
export const STATE_MACHINE_ARN = 'arn:aws:states:ap-southeast-3:000000000000:stateMachine:Submissions';
const DAY = 86_400_000;

export interface Harness {
  table: TestTable;
  s3: S3Client;
  objects: ObjectStore;
  /** The mocked Step Functions client (calls, restore). */
  sfn: { calls(): unknown[]; restore(): void };
  /** Every StartExecution the mocked SFN client received (name, parsed input). */
  executions: { name: string; input: unknown }[];
  close(): Promise<void>;
}

/**
 * dynalite and the local S3 in-process on free ports, and the environment the handlers read
 * (TABLE_NAME, UPLOAD_BUCKET, endpoints, credentials): the handlers build their real SDK clients
 * from it. Only the Step Functions client is mocked; it refuses a second start of the same name
 * with ExecutionAlreadyExists, as Step Functions does once an execution has closed.
 */
export async function startHarness(): Promise<Harness> {
  const emulators = await startEmulators({
    tableName: 'indeks-submissions',
    bucket: BUCKET,
    env: { SUBMISSION_STATE_MACHINE_ARN: STATE_MACHINE_ARN },
  });
  records = emulators.records;
  const { table, s3, objects } = emulators;
  const executions: { name: string; input: unknown }[] = [];
  const sfn = mockClient(SFNClient);
  sfn.on(StartExecutionCommand).callsFake((input: { name?: string; input?: string }) => {
    const name = input.name ?? '';
    if (executions.some((e) => e.name === name)) {
      const error = new Error(`Execution Already Exists: ${name}`);
      error.name = 'ExecutionAlreadyExists';
      throw error;
    }
    executions.push({ name, input: JSON.parse(input.input ?? '{}') });
    return {
      executionArn: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${name}`,
      startDate: new Date(),
    };
  });
  // The tests run executions themselves (runStarted): a started one counts as still RUNNING.
  sfn.on(DescribeExecutionCommand).callsFake((input: { executionArn?: string }) => {
    const name = input.executionArn?.split(':').at(-1) ?? '';
    if (!executions.some((e) => e.name === name)) {
      const error = new Error(`Execution Does Not Exist: ${name}`);
      error.name = 'ExecutionDoesNotExist';
      throw error;
    }
    return { executionArn: input.executionArn, name, status: 'RUNNING' };
  });

  return {
    table,
    s3,
    objects,
    sfn,
    executions,
    close: async () => {
      sfn.restore();
      await emulators.close();
    },
  };
}

let records: S3EventRecord[] = [];

/** The EventBridge `Object Created` event S3 sends for the object the local S3 just stored. */
export async function objectCreatedEvent(key: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    const record = records.findLast((r) => r.s3.object.key === key);
    if (record) {
      const { bucket, object } = record.s3;
      return {
        version: '0',
        id: `evt-${object.sequencer ?? i}`,
        'detail-type': 'Object Created',
        source: 'aws.s3',
        account: '000000000000',
        time: new Date(record.eventTime).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: 'ap-southeast-3',
        resources: [`arn:aws:s3:::${bucket.name}`],
        detail: {
          version: '0',
          bucket: { name: bucket.name },
          object: { key: object.key, size: object.size ?? 0, etag: object.eTag, sequencer: object.sequencer },
          reason: 'POST Object',
        },
      };
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no S3 event for ${key}`);
}

/** A calendar whose window is open now (opened yesterday, closes in a week at 23:59 WIB). */
export function openCalendar(now = Date.now()): CycleCalendar {
  return {
    timeZone: 'Asia/Jakarta',
    opensAt: new Date(now - DAY).toISOString(),
    closesAt: new Date(now + 7 * DAY).toISOString(),
    extensions: [],
    nationalRunAt: new Date(now + 30 * DAY).toISOString(),
  };
}

export const closedCalendar = (now = Date.now()): CycleCalendar => ({
  timeZone: 'Asia/Jakarta',
  opensAt: new Date(now - 30 * DAY).toISOString(),
  closesAt: new Date(now - 2 * DAY).toISOString(),
  extensions: [],
  nationalRunAt: new Date(now + 30 * DAY).toISOString(),
});

export async function createCycle(
  h: Harness,
  cycleId: string,
  methodology: LoadedMethodology,
  calendar: CycleCalendar = openCalendar(),
): Promise<void> {
  await h.table.repos.cycles.create({
    cycleId,
    index: methodology.index.toUpperCase(),
    period: methodology.period,
    name: `${methodology.name.id} ${methodology.period}`,
    calendar,
    methodology: { id: methodology.id, hash: methodology.hash },
  });
}

export function shipped(id: string): LoadedMethodology {
  const m = getMethodology(id);
  if (!m) throw new Error(`methodology ${id} is not shipped`);
  return m;
}

/** Calls a middy HTTP handler the way API Gateway does. */
export const call = (
  api: (event: ApiEvent, context: Context) => Promise<ApiResponse>,
  event: ApiEvent,
): Promise<ApiResponse> => api(event, {} as Context);

export const json = (res: ApiResponse): Record<string, unknown> => JSON.parse(res.body ?? '{}');

export interface Caller {
  groups: string[];
  region?: string;
}
export const operatorOf = (kode: string): Caller => ({ groups: ['operator'], region: kode });

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
  key: string;
  uploadId: string;
}

type Api = (event: ApiEvent, context: Context) => Promise<ApiResponse>;

/** Asks for a presigned POST as the caller, then posts the bytes to it like a browser form would. */
export async function upload(
  requestUpload: Api,
  options: {
    cycleId: string;
    kode: string;
    fileName: string;
    contentType: string;
    bytes: Uint8Array;
    kind?: 'data' | 'evidence';
    caller?: Caller;
    declaredSize?: number;
  },
): Promise<{ post: PresignedPost; event: Record<string, unknown> }> {
  const res = await call(
    requestUpload,
    apiEvent('POST /cycles/{cycleId}/regions/{kode}/uploads', {
      params: { cycleId: options.cycleId, kode: options.kode },
      body: {
        fileName: options.fileName,
        contentType: options.contentType,
        size: options.declaredSize ?? options.bytes.length,
        kind: options.kind ?? 'data',
      },
      ...(options.caller ?? operatorOf(options.kode)),
    }),
  );
  if (res.statusCode !== 200) throw new Error(`upload refused ${res.statusCode}: ${res.body}`);
  const post = json(res) as unknown as PresignedPost;
  const form = new FormData();
  for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
  form.append('file', new Blob([options.bytes], { type: options.contentType }), options.fileName);
  const posted = await fetch(post.url, { method: 'POST', body: form });
  if (posted.status >= 300)
    throw new Error(`POST to presigned URL failed ${posted.status}: ${await posted.text()}`);
  return { post, event: await objectCreatedEvent(post.key) };
}

/** The bytes and ETag stored under a key (to prove the original is never modified). */
export async function storedObject(h: Harness, key: string): Promise<{ bytes: Buffer; etag?: string }> {
  const head = await h.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
  const out = await h.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return { bytes: Buffer.from((await out.Body?.transformToByteArray()) ?? []), etag: head.ETag };
}
