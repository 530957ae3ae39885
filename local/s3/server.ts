import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import { copySource } from './copy-source';
import { findCorsRule, preflight } from './cors';
import { errorXml, S3Error, xmlElements, xmlEscape, xmlValues } from './errors';
import {
  BUCKET_NAME,
  type Context,
  DEFAULT_MAX_BODY,
  decodePayload,
  FILENAME_VARIABLE,
  NS,
  objectHeader,
  objectUrl,
  parseRange,
  readBody,
  SSE_VALUES,
  STORED_HEADERS,
  safeDecode,
  send,
  sendXml,
  signedView,
  sseHeaders,
  streamToBuffer,
} from './http';
import { importS3rverBuckets } from './legacy-import';
import { listPage } from './listing';
import { parseMultipartForm } from './multipart-form';
import { multipartRoutes } from './multipart-routes';
import { MultipartUploads } from './multipart-upload';
import { checkPostPolicy } from './post-policy';
import { type Credentials, parseQuery, uriEncode, verifyPolicySignature, verifyRequest } from './sigv4';
import {
  type CorsRule,
  type ObjectHeader,
  ObjectStoreFiles,
  type Quarantined,
  type StoredObject,
} from './store';
import { isObjectTaggingRead, refuseUnimplemented } from './subresources';

/** The S3 notification record emitted for each object change (the shape S3 sends to SNS/SQS/Lambda). */
export interface S3EventRecord {
  eventName: string;
  eventTime: string;
  requestParameters?: { sourceIPAddress?: string };
  responseElements?: Record<string, string>;
  s3: {
    bucket: { name: string };
    object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer?: string };
  };
}

export interface LocalS3Options {
  /** Where buckets, objects and the quarantine live. */
  directory: string;
  /** Accepted access keys (requests signed with any other are refused). */
  credentials: readonly Credentials[];
  /** The product's clock: objects' LastModified and event times (the world the demo moves). */
  now?: () => number;
  /** Real time for signature checks (clients sign with the machine's time). */
  realNow?: () => number;
  region?: string;
  /** Flush every object to disk before acknowledging it (power-cut durability; slower). */
  fsync?: boolean;
  /** Largest body accepted in one request (PutObject, POST); larger → EntityTooLarge. */
  maxBodyBytes?: number;
}

export interface LocalS3 {
  server: Server;
  store: ObjectStoreFiles;
  /** Objects set aside on open (cut off by a crash). */
  quarantined: readonly Quarantined[];
  /** Objects imported on open from an s3rver data folder of an older version. */
  imported: number;
  onRecord(listener: (record: S3EventRecord) => void): void;
}

/**
 * A small S3-compatible server for the local runtime and the integration tests, path-style on
 * 127.0.0.1. It authenticates every request as S3 does (SigV4 header or presigned query, POST
 * policy signature and conditions; anonymous requests are refused: no bucket here is public),
 * stores each object crash-safely (see store.ts) and emits an S3 event record per change.
 */
export async function createLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const store = new ObjectStoreFiles(options.directory, { fsync: options.fsync ?? false });
  await store.open();
  const imported = await importS3rverBuckets(
    store,
    options.directory,
    new Date(options.now?.() ?? Date.now()),
  );
  const uploads = new MultipartUploads(store, { fsync: options.fsync ?? false });
  await uploads.open();
  const events = new EventEmitter();
  const now = options.now ?? (() => Date.now());
  const realNow = options.realNow ?? (() => Date.now());
  const region = options.region ?? 'ap-southeast-3';
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  let sequence = 0;

  const emit = (
    eventName: string,
    bucket: string,
    object: StoredObject | { key: string },
    context: Context,
  ) => {
    const stored = 'etag' in object ? object : undefined;
    const record: S3EventRecord = {
      eventName,
      // When the change happened (a multipart object's LastModified is its upload's start).
      eventTime: new Date(now()).toISOString(),
      requestParameters: { sourceIPAddress: context.request.socket.remoteAddress ?? '127.0.0.1' },
      responseElements: { 'x-amz-request-id': context.requestId },
      s3: {
        bucket: { name: bucket },
        object: {
          key: object.key,
          ...(stored ? { size: stored.size, eTag: stored.etag.replaceAll('"', '') } : {}),
          sequencer: (++sequence).toString(16).toUpperCase().padStart(16, '0'),
        },
      },
    };
    events.emit('record', record);
  };

  const multipart = multipartRoutes({
    store,
    uploads,
    now,
    created: (eventName, stored, context) => emit(eventName, context.bucket, stored, context),
  });

  const handle = async (context: Context): Promise<void> => {
    const { request, method, bucket, key, query } = context;
    const origin = request.headers.origin;
    if (method === 'OPTIONS') {
      const record = bucket ? store.bucket(bucket) : undefined;
      if (!record) throw new S3Error(403, 'AccessForbidden', 'CORSResponse: Bucket not found');
      return send(context, 200, '', preflight(record.cors, request));
    }
    const body = await readBody(request, maxBody);
    const postObject = method === 'POST' && bucket && !key && !query.has('delete');
    if (postObject) return postUpload(context, body);

    const verified = verifyRequest(signedView(request), options.credentials, realNow());
    if (!verified) throw new S3Error(403, 'AccessDenied', 'Access Denied');
    const payload = decodePayload(request, body, verified.payloadHash);

    const corsHeaders = (): Record<string, string> => {
      const record = store.bucket(bucket);
      if (!origin || !record) return {};
      const rule = findCorsRule(record.cors, origin, method);
      if (!rule) return {};
      return {
        'access-control-allow-origin': rule.AllowedOrigins.includes('*') ? '*' : origin,
        'access-control-allow-methods': rule.AllowedMethods.join(', '),
        ...(rule.ExposeHeaders.length
          ? { 'access-control-expose-headers': rule.ExposeHeaders.join(', ') }
          : {}),
        vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
      };
    };

    if (!bucket) {
      if (method !== 'GET')
        throw new S3Error(
          405,
          'MethodNotAllowed',
          'The specified method is not allowed against this resource.',
        );
      const buckets = store
        .bucketNames()
        .map((b) => `<Bucket>${xmlElements({ Name: b.name, CreationDate: b.created })}</Bucket>`)
        .join('');
      return sendXml(
        context,
        200,
        `<ListAllMyBucketsResult xmlns="${NS}"><Owner><ID>local</ID><DisplayName>local</DisplayName></Owner><Buckets>${buckets}</Buckets></ListAllMyBucketsResult>`,
      );
    }

    if (!key) {
      if (method === 'PUT' && !query.has('cors')) {
        if (!BUCKET_NAME.test(bucket))
          throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', {
            BucketName: bucket,
          });
        if (!(await store.createBucket(bucket, new Date(now()))))
          throw new S3Error(
            409,
            'BucketAlreadyOwnedByYou',
            'Your previous request to create the named bucket succeeded and you already own it.',
            { BucketName: bucket },
          );
        return send(context, 200, '', { location: `/${bucket}` });
      }
      const record = store.bucket(bucket);
      if (!record)
        throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
      if (method === 'HEAD') return send(context, 200, '', { 'x-amz-bucket-region': region });
      if (query.has('cors')) return bucketCors(context, record.cors, payload);
      if (method === 'GET' && query.has('location'))
        return sendXml(context, 200, `<LocationConstraint xmlns="${NS}">${region}</LocationConstraint>`);
      if (method === 'GET' && query.has('versioning'))
        return sendXml(context, 200, `<VersioningConfiguration xmlns="${NS}"/>`);
      if (method === 'GET' && query.has('uploads')) return multipart.listUploads(context);
      refuseUnimplemented(query, 'bucket');
      if (method === 'GET') return list(context, corsHeaders());
      if (method === 'DELETE') {
        const outcome = await store.deleteBucket(bucket);
        if (outcome === 'not-empty')
          throw new S3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', {
            BucketName: bucket,
          });
        return send(context, 204, '');
      }
      if (method === 'POST' && query.has('delete')) return deleteObjects(context, payload);
      throw new S3Error(
        405,
        'MethodNotAllowed',
        'The specified method is not allowed against this resource.',
      );
    }

    if (!store.bucket(bucket))
      throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
    if (query.has('uploads') || query.has('uploadId')) return multipart.handle(context, payload);
    if (isObjectTaggingRead(method, query)) {
      if (!store.head(bucket, key))
        throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
      return sendXml(context, 200, `<Tagging xmlns="${NS}"><TagSet/></Tagging>`);
    }
    refuseUnimplemented(query, 'object');
    if (method === 'PUT' && request.headers['x-amz-copy-source']) return copyObject(context);
    if (method === 'PUT') {
      const stored = await store.put(bucket, objectHeader(request, key, now()), payload);
      emit('ObjectCreated:Put', bucket, stored, context);
      return send(context, 200, '', { etag: stored.etag, ...sseHeaders(stored), ...corsHeaders() });
    }
    if (method === 'GET' || method === 'HEAD') return getObject(context, corsHeaders());
    if (method === 'DELETE') {
      const existed = store.head(bucket, key);
      await store.delete(bucket, key);
      if (existed) emit('ObjectRemoved:Delete', bucket, { key }, context);
      return send(context, 204, '', corsHeaders());
    }
    throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  };

  const postUpload = async (context: Context, body: Buffer): Promise<void> => {
    const { request, bucket } = context;
    if (!store.bucket(bucket))
      throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
    const form = parseMultipartForm(body, request.headers['content-type'] ?? '');
    const fields = new Map([...form.fields].map(([name, value]) => [name.toLowerCase(), value]));
    const policy = fields.get('policy');
    if (!policy) {
      if (fields.has('awsaccesskeyid') || fields.has('signature'))
        throw new S3Error(
          400,
          'InvalidRequest',
          'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
        );
      // No policy: an anonymous POST, which only a public-write bucket accepts (none here).
      throw new S3Error(403, 'AccessDenied', 'Access Denied');
    }
    if (fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256')
      throw new S3Error(
        400,
        'InvalidArgument',
        'Bucket POST must contain a field named x-amz-algorithm with value AWS4-HMAC-SHA256.',
      );
    const credential = fields.get('x-amz-credential');
    const signature = fields.get('x-amz-signature');
    if (!credential || !signature || !fields.get('x-amz-date'))
      throw new S3Error(
        400,
        'InvalidArgument',
        'Bucket POST must contain the fields x-amz-credential, x-amz-date and x-amz-signature.',
      );
    verifyPolicySignature({ policy, credential, signature }, options.credentials);
    let document: unknown;
    try {
      document = JSON.parse(Buffer.from(policy, 'base64').toString('utf8'));
    } catch {
      throw new S3Error(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
    }
    if (!form.file)
      throw new S3Error(400, 'InvalidArgument', 'POST requires exactly one file upload per request.');
    const rawKey = fields.get('key');
    if (!rawKey) throw new S3Error(400, 'InvalidArgument', "Bucket POST must contain a field named 'key'.");
    // S3 substitutes the literal `${filename}` in the key with the uploaded file's name.
    const key = rawKey.replaceAll(FILENAME_VARIABLE, form.file.fileName);
    fields.set('key', key);
    checkPostPolicy({ policy: document, fields, bucket, fileSize: form.file.bytes.length, nowMs: realNow() });
    const sse = fields.get('x-amz-server-side-encryption');
    if (sse !== undefined && !SSE_VALUES.has(sse))
      throw new S3Error(400, 'InvalidArgument', 'The encryption method specified is not supported');
    const metadata: Record<string, string> = {};
    const headers: Record<string, string> = {};
    for (const [name, value] of fields) {
      if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = value;
      if (STORED_HEADERS.includes(name)) headers[name] = value;
    }
    const stored = await store.put(
      bucket,
      {
        key,
        contentType: fields.get('content-type') ?? form.file.contentType ?? 'binary/octet-stream',
        lastModified: new Date(now()).toISOString(),
        metadata,
        headers,
        ...(sse ? { serverSideEncryption: sse } : {}),
        ...(fields.get('x-amz-server-side-encryption-aws-kms-key-id')
          ? { sseKmsKeyId: fields.get('x-amz-server-side-encryption-aws-kms-key-id') }
          : {}),
      },
      form.file.bytes,
    );
    emit('ObjectCreated:Post', bucket, stored, context);
    const location = objectUrl(request, bucket, key);
    const cors: Record<string, string> = {};
    const origin = request.headers.origin;
    const rule = origin ? findCorsRule(store.bucket(bucket)?.cors ?? [], origin, 'POST') : undefined;
    if (origin && rule)
      cors['access-control-allow-origin'] = rule.AllowedOrigins.includes('*') ? '*' : origin;
    if (rule?.ExposeHeaders.length) cors['access-control-expose-headers'] = rule.ExposeHeaders.join(', ');
    const status = fields.get('success_action_status');
    const headersOut = { etag: stored.etag, location, ...sseHeaders(stored), ...cors };
    if (status === '201')
      return sendXml(
        context,
        201,
        `<PostResponse>${xmlElements({ Location: location, Bucket: bucket, Key: key, ETag: stored.etag })}</PostResponse>`,
        headersOut,
      );
    return send(context, status === '200' ? 200 : 204, '', headersOut);
  };

  const getObject = async (context: Context, cors: Record<string, string>): Promise<void> => {
    const { request, response, bucket, key, method } = context;
    const stored = store.head(bucket, key);
    if (!stored) {
      if (method === 'HEAD') return send(context, 404, '', cors);
      throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
    }
    const headers: Record<string, string> = {
      'content-type': stored.contentType,
      etag: stored.etag,
      'last-modified': new Date(stored.lastModified).toUTCString(),
      'accept-ranges': 'bytes',
      ...stored.headers,
      ...Object.fromEntries(Object.entries(stored.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v])),
      ...sseHeaders(stored),
      ...cors,
    };
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch && ifNoneMatch === stored.etag) return send(context, 304, '', headers);
    const ifMatch = request.headers['if-match'];
    if (ifMatch && ifMatch !== stored.etag && ifMatch !== '*')
      throw new S3Error(
        412,
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
        { Condition: 'If-Match' },
      );
    const range = parseRange(request.headers.range, stored.size);
    if (range === 'invalid')
      throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', {
        ActualObjectSize: String(stored.size),
      });
    const length = range ? range.end - range.start + 1 : stored.size;
    response.writeHead(range ? 206 : 200, {
      ...headers,
      'content-length': String(length),
      'x-amz-request-id': context.requestId,
      ...(range ? { 'content-range': `bytes ${range.start}-${range.end}/${stored.size}` } : {}),
    });
    if (method === 'HEAD') {
      response.end();
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const stream = store.read(stored, range);
      stream.on('error', reject);
      response.on('close', resolve);
      stream.pipe(response);
    });
  };

  const copyObject = async (context: Context): Promise<void> => {
    const { request, bucket, key } = context;
    const original = copySource(request, store);
    const bytes = await streamToBuffer(store.read(original));
    const replace = request.headers['x-amz-metadata-directive'] === 'REPLACE';
    const header = replace
      ? objectHeader(request, key, now())
      : { ...original, key, lastModified: new Date(now()).toISOString() };
    const { size: _s, etag: _e, ...rest } = header as ObjectHeader;
    const stored = await store.put(bucket, rest, bytes);
    emit('ObjectCreated:Copy', bucket, stored, context);
    return sendXml(
      context,
      200,
      `<CopyObjectResult>${xmlElements({ LastModified: stored.lastModified, ETag: stored.etag })}</CopyObjectResult>`,
      sseHeaders(stored),
    );
  };

  const list = (context: Context, cors: Record<string, string>): void => {
    const { bucket, query } = context;
    const v2 = query.get('list-type') === '2';
    const url = query.get('encoding-type') === 'url';
    const enc = (text: string) => (url ? uriEncode(text).replaceAll('%2F', '/') : text);
    const prefix = query.get('prefix') ?? '';
    const delimiter = query.get('delimiter') ?? '';
    const maxKeys = Math.max(0, Math.min(1000, Number(query.get('max-keys') ?? 1000) || 0));
    let after = v2 ? (query.get('start-after') ?? '') : (query.get('marker') ?? '');
    let skipUnder: string | undefined;
    const token = query.get('continuation-token');
    if (v2 && token !== undefined) {
      try {
        const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
          after: string;
          under?: string;
        };
        after = parsed.after;
        skipUnder = parsed.under;
      } catch {
        throw new S3Error(400, 'InvalidArgument', 'The continuation token provided is incorrect');
      }
    } else if (!v2 && delimiter && after.endsWith(delimiter)) skipUnder = after;
    const page = listPage(store.keys(bucket), {
      prefix,
      delimiter,
      maxKeys,
      after,
      ...(skipUnder ? { skipUnder } : {}),
    });
    const contents = page.keys
      .map((k) => {
        const o = store.head(bucket, k);
        return o
          ? `<Contents>${xmlElements({ Key: enc(k), LastModified: o.lastModified, ETag: o.etag, Size: o.size, StorageClass: 'STANDARD' })}</Contents>`
          : '';
      })
      .join('');
    const prefixes = page.commonPrefixes
      .map((p) => `<CommonPrefixes><Prefix>${xmlEscape(enc(p))}</Prefix></CommonPrefixes>`)
      .join('');
    const resume = page.last;
    const next =
      page.truncated && resume
        ? Buffer.from(
            JSON.stringify({
              after: resume,
              ...(page.commonPrefixes.at(-1) === resume ? { under: resume } : {}),
            }),
          ).toString('base64url')
        : undefined;
    const common = {
      Name: bucket,
      Prefix: enc(prefix),
      ...(delimiter ? { Delimiter: enc(delimiter) } : {}),
      MaxKeys: maxKeys,
      ...(url ? { EncodingType: 'url' } : {}),
      IsTruncated: page.truncated,
    };
    const head = v2
      ? xmlElements({
          ...common,
          KeyCount: page.keys.length + page.commonPrefixes.length,
          ContinuationToken: token,
          NextContinuationToken: next,
          StartAfter: query.get('start-after') ? enc(query.get('start-after') ?? '') : undefined,
        })
      : xmlElements({
          ...common,
          Marker: enc(query.get('marker') ?? ''),
          NextMarker: page.truncated && delimiter && resume ? enc(resume) : undefined,
        });
    sendXml(
      context,
      200,
      `<ListBucketResult xmlns="${NS}">${head}${contents}${prefixes}</ListBucketResult>`,
      cors,
    );
  };

  const deleteObjects = async (context: Context, payload: Buffer): Promise<void> => {
    const xml = payload.toString('utf8');
    const quiet = xmlValues(xml, 'Quiet')[0] === 'true';
    const deleted: string[] = [];
    for (const object of xmlValues(xml, 'Object')) {
      const key = xmlValues(`<r>${object}</r>`, 'Key')[0];
      if (key === undefined) continue;
      const existed = store.head(context.bucket, key);
      await store.delete(context.bucket, key);
      if (existed) emit('ObjectRemoved:Delete', context.bucket, { key }, context);
      deleted.push(key);
    }
    const items = quiet ? '' : deleted.map((k) => `<Deleted>${xmlElements({ Key: k })}</Deleted>`).join('');
    sendXml(context, 200, `<DeleteResult xmlns="${NS}">${items}</DeleteResult>`);
  };

  const bucketCors = async (context: Context, current: CorsRule[], payload: Buffer): Promise<void> => {
    const { method, bucket } = context;
    if (method === 'PUT') {
      const rules = xmlValues(payload.toString('utf8'), 'CORSRule').map((rule) => {
        const maxAge = xmlValues(rule, 'MaxAgeSeconds')[0];
        return {
          AllowedOrigins: xmlValues(rule, 'AllowedOrigin'),
          AllowedMethods: xmlValues(rule, 'AllowedMethod'),
          AllowedHeaders: xmlValues(rule, 'AllowedHeader'),
          ExposeHeaders: xmlValues(rule, 'ExposeHeader'),
          ...(maxAge ? { MaxAgeSeconds: Number(maxAge) } : {}),
        };
      });
      await store.setCors(bucket, rules);
      return send(context, 200, '');
    }
    if (method === 'DELETE') {
      await store.setCors(bucket, []);
      return send(context, 204, '');
    }
    if (current.length === 0)
      throw new S3Error(404, 'NoSuchCORSConfiguration', 'The CORS configuration does not exist', {
        BucketName: bucket,
      });
    const rules = current
      .map((r) => {
        const many = (tag: string, values: string[]) =>
          values.map((v) => `<${tag}>${xmlEscape(v)}</${tag}>`).join('');
        return `<CORSRule>${many('AllowedHeader', r.AllowedHeaders)}${many('AllowedMethod', r.AllowedMethods)}${many('AllowedOrigin', r.AllowedOrigins)}${many('ExposeHeader', r.ExposeHeaders)}${r.MaxAgeSeconds !== undefined ? `<MaxAgeSeconds>${r.MaxAgeSeconds}</MaxAgeSeconds>` : ''}</CORSRule>`;
      })
      .join('');
    return sendXml(context, 200, `<CORSConfiguration xmlns="${NS}">${rules}</CORSConfiguration>`);
  };

  const server = createServer((request, response) => {
    const requestId = randomUUID().replaceAll('-', '').slice(0, 16).toUpperCase();
    const url = request.url ?? '/';
    const queryAt = url.indexOf('?');
    const rawPath = queryAt < 0 ? url : url.slice(0, queryAt);
    const rawQuery = queryAt < 0 ? '' : url.slice(queryAt + 1);
    const path = safeDecode(rawPath);
    const slash = path.indexOf('/', 1);
    const bucket = slash < 0 ? path.slice(1) : path.slice(1, slash);
    const key = slash < 0 ? '' : path.slice(slash + 1);
    const context: Context = {
      request,
      response,
      method: (request.method ?? 'GET').toUpperCase(),
      bucket,
      key,
      query: new Map(parseQuery(rawQuery)),
      requestId,
      resource: path,
    };
    handle(context).catch((error: unknown) => {
      const s3Error =
        error instanceof S3Error
          ? error
          : new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (context.method === 'HEAD') return send(context, s3Error.status, '');
      sendXml(context, s3Error.status, errorXml(s3Error, context.resource, requestId));
    });
  });

  return {
    server,
    store,
    quarantined: store.quarantined,
    imported,
    onRecord: (listener) => events.on('record', listener),
  };
}
