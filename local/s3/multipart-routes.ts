import { createHash } from 'node:crypto';
import { copySource, copySourceRange } from './copy-source';
import { entityTooSmall, S3Error, xmlElements, xmlValues } from './errors';
import { type Context, NS, objectHeader, objectUrl, send, sendXml, sseHeaders, streamToBuffer } from './http';
import { invalidPart, type MultipartUploads, noSuchUpload, type Part, type Upload } from './multipart-upload';
import { uriEncode } from './sigv4';
import type { ObjectStoreFiles, StoredObject } from './store';

/**
 * S3's multipart upload API over the staging area (multipart-upload.ts): CreateMultipartUpload,
 * UploadPart, CompleteMultipartUpload, AbortMultipartUpload, ListParts, ListMultipartUploads, with
 * the answers and errors S3 gives. The request is already authenticated and its body decoded
 * (aws-chunked, payload hash, Content-MD5) by the server, as for every other operation.
 */

/** S3's smallest part, except the last (5 MiB). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PART_NUMBER = 10_000;
const OWNER = '<ID>local</ID><DisplayName>local</DisplayName>';

export interface MultipartDeps {
  store: ObjectStoreFiles;
  uploads: MultipartUploads;
  now: () => number;
  /** Emits the object-created record, as for PutObject. */
  created: (eventName: string, stored: StoredObject, context: Context) => void;
}

const notAllowed = () =>
  new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');

/** The parts to assemble, in order, once the requested list is checked as S3 checks it. */
export function chooseParts(
  requested: readonly { partNumber: number; etag: string }[],
  stored: readonly Part[],
) {
  if (requested.length === 0)
    throw new S3Error(
      400,
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
    );
  const byNumber = new Map(stored.map((part) => [part.partNumber, part]));
  const chosen: Part[] = [];
  for (const [index, asked] of requested.entries()) {
    const previous = requested[index - 1];
    if (previous && asked.partNumber <= previous.partNumber)
      throw new S3Error(
        400,
        'InvalidPartOrder',
        'The list of parts was not in ascending order. Parts must be ordered by part number.',
      );
    const part = byNumber.get(asked.partNumber);
    if (!part || part.etag.replaceAll('"', '') !== asked.etag.replaceAll('"', '')) throw invalidPart(asked);
    chosen.push(part);
  }
  for (const part of chosen.slice(0, -1))
    if (part.size < MIN_PART_SIZE)
      throw entityTooSmall(part.size, MIN_PART_SIZE, {
        PartNumber: String(part.partNumber),
        ETag: part.etag,
      });
  return chosen;
}

/** S3's ETag of a multipart object: the MD5 of the parts' binary MD5s, then `-<number of parts>`. */
export function multipartEtag(parts: readonly { etag: string }[]): string {
  const md5 = createHash('md5');
  for (const part of parts) md5.update(Buffer.from(part.etag.replaceAll('"', ''), 'hex'));
  return `"${md5.digest('hex')}-${parts.length}"`;
}

export function multipartRoutes({ store, uploads, now, created }: MultipartDeps) {
  const uploadOf = async (context: Context): Promise<Upload> => {
    const uploadId = context.query.get('uploadId') ?? '';
    const upload = await uploads.upload(context.bucket, uploadId);
    if (!upload || upload.key !== context.key) throw noSuchUpload(uploadId);
    return upload;
  };

  const create = async (context: Context): Promise<void> => {
    const { request, bucket, key } = context;
    const header = objectHeader(request, key, now());
    const upload = await uploads.create(bucket, header);
    return sendXml(
      context,
      200,
      `<InitiateMultipartUploadResult xmlns="${NS}">${xmlElements({ Bucket: bucket, Key: key, UploadId: upload.uploadId })}</InitiateMultipartUploadResult>`,
      sseHeaders(header),
    );
  };

  const uploadPart = async (context: Context, payload: Buffer): Promise<void> => {
    const raw = context.query.get('partNumber') ?? '';
    const partNumber = /^\d{1,5}$/.test(raw) ? Number(raw) : 0;
    if (partNumber < 1 || partNumber > MAX_PART_NUMBER)
      throw new S3Error(
        400,
        'InvalidArgument',
        'Part number must be an integer between 1 and 10000, inclusive',
        {
          ArgumentName: 'partNumber',
          ArgumentValue: raw,
        },
      );
    const upload = await uploadOf(context);
    const { request } = context;
    // UploadPartCopy: the part's bytes are (a range of) an object already stored.
    const source = request.headers['x-amz-copy-source'] ? copySource(request, store) : undefined;
    const bytes = source
      ? await streamToBuffer(
          store.read(source, copySourceRange(request.headers['x-amz-copy-source-range'], source.size)),
        )
      : payload;
    const part = await uploads.putPart(
      context.bucket,
      upload.uploadId,
      partNumber,
      bytes,
      new Date(now()).toISOString(),
    );
    if (!part) throw noSuchUpload(upload.uploadId);
    const headers = sseHeaders(upload.header);
    if (!source) return send(context, 200, '', { etag: part.etag, ...headers });
    return sendXml(
      context,
      200,
      `<CopyPartResult>${xmlElements({ LastModified: part.lastModified, ETag: part.etag })}</CopyPartResult>`,
      headers,
    );
  };

  const complete = async (context: Context, payload: Buffer): Promise<void> => {
    const { request, bucket, key } = context;
    const upload = await uploadOf(context);
    const requested = xmlValues(payload.toString('utf8'), 'Part').map((part) => {
      const inner = `<p>${part}</p>`;
      return {
        partNumber: Number(xmlValues(inner, 'PartNumber')[0] ?? Number.NaN),
        etag: xmlValues(inner, 'ETag')[0] ?? '',
      };
    });
    if (requested.some((part) => !Number.isInteger(part.partNumber))) requested.length = 0;
    const chosen = chooseParts(requested, await uploads.parts(bucket, upload.uploadId));
    const etag = multipartEtag(chosen);
    const stored = await uploads.complete(bucket, upload, chosen, etag);
    created('ObjectCreated:CompleteMultipartUpload', stored, context);
    return sendXml(
      context,
      200,
      `<CompleteMultipartUploadResult xmlns="${NS}">${xmlElements({ Location: objectUrl(request, bucket, key), Bucket: bucket, Key: key, ETag: stored.etag })}</CompleteMultipartUploadResult>`,
      sseHeaders(stored),
    );
  };

  const abort = async (context: Context): Promise<void> => {
    const upload = await uploadOf(context);
    if (!(await uploads.remove(context.bucket, upload.uploadId))) throw noSuchUpload(upload.uploadId);
    return send(context, 204, '');
  };

  const listParts = async (context: Context): Promise<void> => {
    const { bucket, key, query } = context;
    const upload = await uploadOf(context);
    const maxParts = Math.max(0, Math.min(1000, Number(query.get('max-parts') ?? 1000) || 0));
    const marker = Number(query.get('part-number-marker') ?? 0) || 0;
    const after = (await uploads.parts(bucket, upload.uploadId)).filter((p) => p.partNumber > marker);
    const page = after.slice(0, maxParts);
    const parts = page
      .map(
        (p) =>
          `<Part>${xmlElements({ PartNumber: p.partNumber, LastModified: p.lastModified, ETag: p.etag, Size: p.size })}</Part>`,
      )
      .join('');
    const head = xmlElements({ Bucket: bucket, Key: key, UploadId: upload.uploadId });
    const paging = xmlElements({
      StorageClass: 'STANDARD',
      PartNumberMarker: marker,
      NextPartNumberMarker: page.at(-1)?.partNumber ?? marker,
      MaxParts: maxParts,
      IsTruncated: after.length > page.length,
    });
    return sendXml(
      context,
      200,
      `<ListPartsResult xmlns="${NS}">${head}<Initiator>${OWNER}</Initiator><Owner>${OWNER}</Owner>${paging}${parts}</ListPartsResult>`,
    );
  };

  return {
    /** An object-level multipart request (`?uploads` or `?uploadId=`). */
    async handle(context: Context, payload: Buffer): Promise<void> {
      const { method, query } = context;
      if (query.has('uploads')) {
        if (method === 'POST') return create(context);
        throw notAllowed();
      }
      if (method === 'PUT') return uploadPart(context, payload);
      if (method === 'POST') return complete(context, payload);
      if (method === 'DELETE') return abort(context);
      if (method === 'GET') return listParts(context);
      throw notAllowed();
    },

    /** ListMultipartUploads (`GET /{bucket}?uploads`): prefix, key/upload-id markers, max-uploads. */
    async listUploads(context: Context): Promise<void> {
      const { bucket, query } = context;
      const url = query.get('encoding-type') === 'url';
      const enc = (text: string) => (url ? uriEncode(text).replaceAll('%2F', '/') : text);
      const prefix = query.get('prefix') ?? '';
      const keyMarker = query.get('key-marker') ?? '';
      const uploadIdMarker = query.get('upload-id-marker') ?? '';
      const maxUploads = Math.max(0, Math.min(1000, Number(query.get('max-uploads') ?? 1000) || 0));
      const all = (await uploads.uploads(bucket)).filter((u) => u.key.startsWith(prefix));
      const markerAt = uploadIdMarker
        ? all.findIndex((u) => u.key === keyMarker && u.uploadId === uploadIdMarker)
        : -1;
      const after =
        markerAt >= 0
          ? all.slice(markerAt + 1)
          : all.filter((u) => Buffer.compare(Buffer.from(u.key), Buffer.from(keyMarker)) > 0);
      const page = after.slice(0, maxUploads);
      const last = page.at(-1);
      const truncated = after.length > page.length;
      const items = page
        .map(
          (u) =>
            `<Upload>${xmlElements({ Key: enc(u.key), UploadId: u.uploadId })}<Initiator>${OWNER}</Initiator><Owner>${OWNER}</Owner>${xmlElements({ StorageClass: 'STANDARD', Initiated: u.initiated })}</Upload>`,
        )
        .join('');
      const head = xmlElements({
        Bucket: bucket,
        KeyMarker: enc(keyMarker),
        UploadIdMarker: uploadIdMarker,
        NextKeyMarker: truncated && last ? enc(last.key) : undefined,
        NextUploadIdMarker: truncated && last ? last.uploadId : undefined,
        ...(prefix ? { Prefix: enc(prefix) } : {}),
        MaxUploads: maxUploads,
        ...(url ? { EncodingType: 'url' } : {}),
        IsTruncated: truncated,
      });
      return sendXml(
        context,
        200,
        `<ListMultipartUploadsResult xmlns="${NS}">${head}${items}</ListMultipartUploadsResult>`,
      );
    },
  };
}
