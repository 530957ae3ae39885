import { randomUUID } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mapLimit } from '#util/pool';
import { isJsonObject, type Json, type JsonObject, parseJson } from '../json';
import type { DistributedMapSpec } from './definition';
import { TaskFailure } from './errors';

/** One child execution of a map run, as the ResultWriter files and DescribeExecution show it. */
export interface ChildExecution {
  executionArn: string;
  name: string;
  status: 'SUCCEEDED' | 'FAILED';
  input: Json;
  output?: Json;
  error?: string;
  cause?: string;
  startDate: Date;
  stopDate: Date;
}

export interface MapRunContext {
  s3: S3Client;
  /** `arn:aws:states:…:mapRun:<machine>/<label>:<id>` */
  mapRunArn: string;
  mapRunId: string;
  stateMachineArn: string;
  runChild(processor: JsonObject, input: Json, name: string): Promise<ChildExecution>;
}

const MAX_BATCH_BYTES = 256 * 1024;
const LOCAL_MAX_CONCURRENCY = 40;

function field(params: JsonObject, key: string): number | undefined {
  const value = params[key];
  return typeof value === 'number' ? value : undefined;
}

function text(value: Json | undefined, what: string): string {
  if (typeof value !== 'string' || !value) throw new TaskFailure('States.Runtime', `${what} is missing`);
  return value;
}

function parseCsv(body: string, config: JsonObject): Json[] {
  const lines = body.split(/\r?\n/).filter((l) => l.length > 0);
  const given = Array.isArray(config.CSVHeaders) ? config.CSVHeaders.map(String) : undefined;
  const headers = config.CSVHeaderLocation === 'GIVEN' && given ? given : (lines.shift() ?? '').split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    const row: JsonObject = {};
    headers.forEach((h, i) => {
      row[h] = cells[i] ?? '';
    });
    return row;
  });
}

/** ItemReader: the items of the map, read from S3 like Step Functions does. */
async function readItems(map: DistributedMapSpec, params: JsonObject, s3: S3Client): Promise<Json[]> {
  if (!map.reader) {
    const items = params.items;
    if (!Array.isArray(items)) throw new TaskFailure('States.Runtime', 'ItemsPath did not select an array');
    return items;
  }
  const reader = isJsonObject(params.reader) ? params.reader : {};
  const bucket = text(reader.Bucket, 'ItemReader Bucket');
  const maxItems =
    field(params, 'maxItems') ??
    (typeof map.reader.config.MaxItems === 'number' ? map.reader.config.MaxItems : undefined);
  let items: Json[];
  if (map.reader.resource.endsWith(':s3:listObjectsV2')) {
    items = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: typeof reader.Prefix === 'string' ? reader.Prefix : undefined,
          ContinuationToken: token,
        }),
      );
      for (const o of page.Contents ?? []) {
        items.push({
          Etag: o.ETag ?? '',
          Key: o.Key ?? '',
          LastModified: o.LastModified?.toISOString() ?? '',
          Size: o.Size ?? 0,
          StorageClass: o.StorageClass ?? 'STANDARD',
        });
      }
      token = page.NextContinuationToken;
    } while (token);
  } else if (map.reader.resource.endsWith(':s3:getObject')) {
    const object = await s3.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: text(reader.Key, 'ItemReader Key'),
        VersionId: typeof reader.VersionId === 'string' ? reader.VersionId : undefined,
      }),
    );
    const body = (await object.Body?.transformToString('utf8')) ?? '';
    const type = map.reader.config.InputType;
    if (type === 'JSON') {
      const parsed = parseJson(body);
      if (!Array.isArray(parsed))
        throw new TaskFailure('States.ItemReaderFailed', 'the JSON object read is not an array');
      items = parsed;
    } else if (type === 'JSONL') {
      items = body
        .split(/\r?\n/)
        .filter((l) => l.trim())
        .map(parseJson);
    } else if (type === 'CSV') {
      items = parseCsv(body, map.reader.config);
    } else {
      throw new TaskFailure('States.ItemReaderFailed', `InputType ${String(type)} is not supported locally`);
    }
  } else {
    throw new TaskFailure(
      'States.ItemReaderFailed',
      `ItemReader ${map.reader.resource} is not supported locally`,
    );
  }
  return maxItems !== undefined && maxItems > 0 ? items.slice(0, maxItems) : items;
}

/** ItemBatcher: `{Items: [...], BatchInput}` per child, bounded by item count and bytes. */
function childInputs(map: DistributedMapSpec, params: JsonObject, items: Json[]): Json[] {
  if (!map.batcher) return items;
  const maxItems =
    field(params, 'maxItemsPerBatch') ?? map.batcher.maxItemsPerBatch ?? Number.POSITIVE_INFINITY;
  const maxBytes = Math.min(
    field(params, 'maxInputBytesPerBatch') ?? map.batcher.maxInputBytesPerBatch ?? MAX_BATCH_BYTES,
    MAX_BATCH_BYTES,
  );
  const batchInput = params.batchInput;
  const wrap = (batch: Json[]): Json =>
    batchInput === undefined ? { Items: batch } : { Items: batch, BatchInput: batchInput };
  const batches: Json[] = [];
  let current: Json[] = [];
  for (const item of items) {
    const candidate = [...current, item];
    if (
      current.length > 0 &&
      (candidate.length > maxItems || Buffer.byteLength(JSON.stringify(wrap(candidate))) > maxBytes)
    ) {
      batches.push(wrap(current));
      current = [item];
    } else {
      current = candidate;
    }
  }
  if (current.length > 0) batches.push(wrap(current));
  return batches;
}

function record(child: ChildExecution, stateMachineArn: string): JsonObject {
  return {
    ExecutionArn: child.executionArn,
    Input: JSON.stringify(child.input),
    InputDetails: { Included: true },
    Name: child.name,
    ...(child.status === 'SUCCEEDED'
      ? { Output: JSON.stringify(child.output ?? null), OutputDetails: { Included: true } }
      : { Error: child.error ?? '', Cause: child.cause ?? '' }),
    RedriveCount: 0,
    RedriveStatus: 'NOT_REDRIVABLE',
    RedriveStatusReason: `Execution is ${child.status} and cannot be redriven`,
    StartDate: child.startDate.toISOString(),
    StateMachineArn: stateMachineArn,
    Status: child.status,
    StopDate: child.stopDate.toISOString(),
  };
}

/** ResultWriter: SUCCEEDED_0.json / FAILED_0.json and manifest.json under `<Prefix>/<map run id>/`. */
async function writeResults(
  params: JsonObject,
  children: ChildExecution[],
  context: MapRunContext,
): Promise<Json> {
  const writer = isJsonObject(params.writer) ? params.writer : {};
  const bucket = text(writer.Bucket, 'ResultWriter Bucket');
  const prefix = typeof writer.Prefix === 'string' ? writer.Prefix.replace(/\/+$/, '') : '';
  const base = prefix ? `${prefix}/${context.mapRunId}` : context.mapRunId;
  const files: Record<'SUCCEEDED' | 'FAILED' | 'PENDING', { Key: string; Size: number }[]> = {
    SUCCEEDED: [],
    FAILED: [],
    PENDING: [],
  };
  for (const status of ['SUCCEEDED', 'FAILED'] as const) {
    const chosen = children.filter((c) => c.status === status);
    if (chosen.length === 0) continue;
    const key = `${base}/${status}_0.json`;
    const body = JSON.stringify(chosen.map((c) => record(c, context.stateMachineArn)));
    await context.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }),
    );
    files[status].push({ Key: key, Size: Buffer.byteLength(body) });
  }
  const manifestKey = `${base}/manifest.json`;
  const manifest = { DestinationBucket: bucket, MapRunArn: context.mapRunArn, ResultFiles: files };
  await context.s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: manifestKey,
      Body: JSON.stringify(manifest),
      ContentType: 'application/json',
    }),
  );
  return { MapRunArn: context.mapRunArn, ResultWriterDetails: { Bucket: bucket, Key: manifestKey } };
}

/**
 * The local stand-in for a Distributed Map: read the items (ItemReader), batch them
 * (ItemBatcher), run one child execution of the item processor per batch with MaxConcurrency,
 * honour the tolerated failure threshold, and either write the results to S3 (ResultWriter) or
 * return them inline in item order (a failed child contributes its {Error, Cause}).
 */
export async function runDistributedMap(
  map: DistributedMapSpec,
  parameters: Json,
  context: MapRunContext,
): Promise<Json> {
  const params = isJsonObject(parameters) ? parameters : {};
  const items = await readItems(map, params, context.s3);
  const inputs = childInputs(map, params, items);
  const concurrency = field(params, 'maxConcurrency') ?? map.maxConcurrency;
  const limit = concurrency > 0 ? Math.min(concurrency, LOCAL_MAX_CONCURRENCY) : LOCAL_MAX_CONCURRENCY;
  const children = await mapLimit(inputs, limit, (input) =>
    context.runChild(map.processor, input, randomUUID()),
  );

  const failed = children.filter((c) => c.status === 'FAILED').length;
  const percentage = field(params, 'toleratedFailurePercentage') ?? map.toleratedFailurePercentage;
  const count = field(params, 'toleratedFailureCount') ?? map.toleratedFailureCount;
  if (failed > 0 && failed > count && (failed / children.length) * 100 > percentage) {
    const first = children.find((c) => c.status === 'FAILED');
    throw new TaskFailure(
      'States.ExceedToleratedFailureThreshold',
      `The specified tolerated failure threshold was exceeded: ${failed} of ${children.length} child executions failed (first: ${first?.error ?? ''} ${first?.cause ?? ''})`,
    );
  }
  if (map.writer) return writeResults(params, children, context);
  return children.map((c) =>
    c.status === 'SUCCEEDED' ? (c.output ?? null) : { Error: c.error ?? '', Cause: c.cause ?? '' },
  );
}
