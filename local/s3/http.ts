import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { S3Error } from './errors';
import type { IncomingSigned } from './sigv4';
import { sha256Hex, uriEncode } from './sigv4';
import type { ObjectHeader } from './store';

/** The HTTP side of the local S3: request reading and decoding, object headers, ranges, answers. */

export const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
export const DEFAULT_MAX_BODY = 128 * 1024 * 1024;
export const STORED_HEADERS = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
];
export const FILENAME_VARIABLE = ['$', '{filename}'].join('');
export const SSE_VALUES = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export interface Context {
  request: IncomingMessage;
  response: ServerResponse;
  method: string;
  bucket: string;
  key: string;
  query: Map<string, string>;
  requestId: string;
  resource: string;
}

export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function signedView(request: IncomingMessage): IncomingSigned {
  const headers = new Map<string, string[]>();
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = (request.rawHeaders[i] ?? '').toLowerCase();
    const list = headers.get(name) ?? [];
    list.push(request.rawHeaders[i + 1] ?? '');
    headers.set(name, list);
  }
  const url = request.url ?? '/';
  const at = url.indexOf('?');
  return {
    method: (request.method ?? 'GET').toUpperCase(),
    rawPath: at < 0 ? url : url.slice(0, at),
    rawQuery: at < 0 ? '' : url.slice(at + 1),
    headers,
  };
}

export function readBody(request: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > max) {
      request.resume();
      reject(
        new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
          MaxSizeAllowed: String(max),
        }),
      );
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        request.destroy();
        reject(new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size'));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** The object bytes: `aws-chunked` bodies decoded, a signed payload hash checked against the bytes. */
export function decodePayload(request: IncomingMessage, body: Buffer, payloadHash: string): Buffer {
  if (payloadHash.startsWith('STREAMING-') || /aws-chunked/.test(request.headers['content-encoding'] ?? '')) {
    const decoded = decodeAwsChunked(body);
    const declared = request.headers['x-amz-decoded-content-length'];
    if (declared !== undefined && Number(declared) !== decoded.length)
      throw new S3Error(
        400,
        'IncompleteBody',
        'You did not provide the number of bytes specified by the Content-Length HTTP header',
      );
    return decoded;
  }
  if (/^[0-9a-f]{64}$/.test(payloadHash) && sha256Hex(body) !== payloadHash)
    throw new S3Error(
      400,
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  const md5 = request.headers['content-md5'];
  if (md5 && createHash('md5').update(body).digest('base64') !== md5)
    throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
  return body;
}

export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isFinite(size)) throw new S3Error(400, 'IncompleteBody', 'Malformed aws-chunked body');
    if (size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

export function objectHeader(
  request: IncomingMessage,
  key: string,
  nowMs: number,
): Omit<ObjectHeader, 'size' | 'etag'> {
  const metadata: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value !== 'string') continue;
    if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = value;
    if (STORED_HEADERS.includes(name) && !(name === 'content-encoding' && value.includes('aws-chunked')))
      headers[name] = value;
  }
  const sse = request.headers['x-amz-server-side-encryption'];
  if (typeof sse === 'string' && !SSE_VALUES.has(sse))
    throw new S3Error(400, 'InvalidArgument', 'The encryption method specified is not supported');
  const kms = request.headers['x-amz-server-side-encryption-aws-kms-key-id'];
  return {
    key,
    contentType: request.headers['content-type'] ?? 'binary/octet-stream',
    lastModified: new Date(nowMs).toISOString(),
    metadata,
    headers,
    ...(typeof sse === 'string' ? { serverSideEncryption: sse } : {}),
    ...(typeof kms === 'string' ? { sseKmsKeyId: kms } : {}),
  };
}

export function sseHeaders(
  object: Pick<ObjectHeader, 'serverSideEncryption' | 'sseKmsKeyId'>,
): Record<string, string> {
  return {
    ...(object.serverSideEncryption ? { 'x-amz-server-side-encryption': object.serverSideEncryption } : {}),
    ...(object.sseKmsKeyId ? { 'x-amz-server-side-encryption-aws-kms-key-id': object.sseKmsKeyId } : {}),
  };
}

/** The object's URL on this server (path-style), as S3 answers it in `Location`. */
export function objectUrl(request: IncomingMessage, bucket: string, key: string): string {
  return `http://${request.headers.host ?? '127.0.0.1'}/${bucket}/${uriEncode(key).replaceAll('%2F', '/')}`;
}

export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'invalid' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return undefined;
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return undefined;
  if (a === '') {
    const n = Number(b);
    if (n === 0) return 'invalid';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || end < start) return 'invalid';
  return { start, end };
}

export function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

export function send(
  context: Context,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  context.response.writeHead(status, { 'x-amz-request-id': context.requestId, ...headers });
  context.response.end(body);
}

export function sendXml(
  context: Context,
  status: number,
  xml: string,
  headers: Record<string, string> = {},
): void {
  const body = xml.startsWith('<?xml') ? xml : `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
  send(context, status, body, {
    'content-type': 'application/xml',
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
}
