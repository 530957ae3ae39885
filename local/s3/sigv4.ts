import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { S3Error } from './errors';

/**
 * AWS Signature Version 4 as S3 checks it, for the three ways a request carries one: the
 * `Authorization` header, a presigned URL's query string, and a POST form's policy. The server
 * recomputes the signature from the request it received and the secret of the access key, and
 * compares. Request time is checked against the machine's real time (never the product's moved
 * clock: real clients sign with real time).
 */

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface IncomingSigned {
  method: string;
  /** The path exactly as sent (still percent-encoded): S3 signs it as is. */
  rawPath: string;
  /** The query string as sent, without `?`. */
  rawQuery: string;
  /** Header values by lower-case name (repeated headers keep each value). */
  headers: ReadonlyMap<string, readonly string[]>;
}

export interface Verified {
  accessKeyId: string;
  /** `x-amz-content-sha256` for header auth (the server checks a hex hash against the body). */
  payloadHash: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters, upper-case hex. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The query's parameters decoded, in order (a name without `=` has the empty value). */
export function parseQuery(rawQuery: string): [string, string][] {
  if (!rawQuery) return [];
  return rawQuery
    .split('&')
    .filter((part) => part.length > 0)
    .map((part) => {
      const at = part.indexOf('=');
      return at < 0 ? [decode(part), ''] : [decode(part.slice(0, at)), decode(part.slice(at + 1))];
    });
}

function canonicalQuery(params: readonly [string, string][]): string {
  return params
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function canonicalHeaders(headers: IncomingSigned['headers'], signed: readonly string[]): string {
  return signed
    .map((name) => {
      const values = headers.get(name) ?? [];
      return `${name}:${values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',')}\n`;
    })
    .join('');
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

interface Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

function parseCredential(credential: string, malformed: () => S3Error): Scope {
  const parts = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  if (
    parts.length !== 5 ||
    !accessKeyId ||
    !date ||
    !region ||
    service !== 's3' ||
    terminator !== 'aws4_request'
  )
    throw malformed();
  return { accessKeyId, date, region, service };
}

/** Parses `20260101T000000Z`; undefined when it is not that shape. */
export function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}

function secretOf(credentials: readonly Credentials[], accessKeyId: string): string {
  const found = credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!found)
    throw new S3Error(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
    );
  return found.secretAccessKey;
}

function check(
  request: IncomingSigned,
  scope: Scope,
  secret: string,
  amzDate: string,
  signedHeaders: readonly string[],
  query: readonly [string, string][],
  payloadHash: string,
  signature: string,
): void {
  const canonical = [
    request.method,
    request.rawPath || '/',
    canonicalQuery(query),
    canonicalHeaders(request.headers, signedHeaders),
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const credentialScope = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, credentialScope, sha256Hex(canonical)].join('\n');
  const expected = hmac(signingKey(secret, scope.date, scope.region, scope.service), stringToSign).toString(
    'hex',
  );
  if (!sameHex(expected, signature))
    throw new S3Error(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
}

/**
 * Verifies a header- or query-signed request; throws the S3 error AWS would answer. A request
 * with neither is anonymous: `undefined` (the caller refuses it: no bucket here is public).
 */
export function verifyRequest(
  request: IncomingSigned,
  credentials: readonly Credentials[],
  nowMs: number,
): Verified | undefined {
  const authorization = request.headers.get('authorization')?.[0];
  const query = parseQuery(request.rawQuery);
  const param = (name: string) => query.find(([k]) => k === name)?.[1];
  if (authorization !== undefined) return verifyHeader(request, authorization, query, credentials, nowMs);
  if (param('X-Amz-Algorithm') !== undefined || param('X-Amz-Signature') !== undefined)
    return verifyQuery(request, query, credentials, nowMs);
  if (param('Signature') !== undefined || param('AWSAccessKeyId') !== undefined)
    throw new S3Error(
      400,
      'InvalidRequest',
      'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
    );
  return undefined;
}

function verifyHeader(
  request: IncomingSigned,
  authorization: string,
  query: readonly [string, string][],
  credentials: readonly Credentials[],
  nowMs: number,
): Verified {
  const malformed = () =>
    new S3Error(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
  if (!authorization.startsWith(`${ALGORITHM} `)) {
    throw new S3Error(
      400,
      'InvalidRequest',
      'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
    );
  }
  const fields = new Map(
    authorization
      .slice(ALGORITHM.length + 1)
      .split(',')
      .map((part) => part.trim())
      .map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)] as const),
  );
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders')?.split(';');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) throw malformed();
  const scope = parseCredential(credential, malformed);
  const secret = secretOf(credentials, scope.accessKeyId);
  const amzDate = request.headers.get('x-amz-date')?.[0];
  const at = amzDate ? parseAmzDate(amzDate) : undefined;
  if (!amzDate || at === undefined)
    throw new S3Error(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  if (!signedHeaders.includes('host')) throw malformed();
  if (Math.abs(at - nowMs) > MAX_SKEW_MS)
    throw new S3Error(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
    );
  const payloadHash = request.headers.get('x-amz-content-sha256')?.[0];
  if (!payloadHash)
    throw new S3Error(
      400,
      'InvalidRequest',
      'Missing required header for this request: x-amz-content-sha256',
    );
  check(request, scope, secret, amzDate, signedHeaders, query, payloadHash, signature);
  return { accessKeyId: scope.accessKeyId, payloadHash };
}

function verifyQuery(
  request: IncomingSigned,
  query: readonly [string, string][],
  credentials: readonly Credentials[],
  nowMs: number,
): Verified {
  const param = (name: string) => query.find(([k]) => k === name)?.[1];
  const malformed = (message: string) => new S3Error(400, 'AuthorizationQueryParametersError', message);
  if (param('X-Amz-Algorithm') !== ALGORITHM)
    throw malformed('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const credential = param('X-Amz-Credential');
  const amzDate = param('X-Amz-Date');
  const expires = Number(param('X-Amz-Expires'));
  const signedHeaders = param('X-Amz-SignedHeaders')?.split(';');
  const signature = param('X-Amz-Signature');
  if (!credential || !amzDate || !signedHeaders || !signature || !param('X-Amz-Expires'))
    throw malformed(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  const scope = parseCredential(credential, () => malformed('Error parsing the X-Amz-Credential parameter'));
  const at = parseAmzDate(amzDate);
  if (at === undefined)
    throw malformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGNED_SECONDS)
    throw malformed('X-Amz-Expires must be between 1 and 604800 seconds');
  const secret = secretOf(credentials, scope.accessKeyId);
  if (at - nowMs > MAX_SKEW_MS) throw new S3Error(403, 'AccessDenied', 'Request is not valid yet');
  if (nowMs > at + expires * 1000) throw new S3Error(403, 'AccessDenied', 'Request has expired');
  const payloadHash = param('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
  check(
    request,
    scope,
    secret,
    amzDate,
    signedHeaders,
    query.filter(([k]) => k !== 'X-Amz-Signature'),
    payloadHash,
    signature,
  );
  return { accessKeyId: scope.accessKeyId, payloadHash };
}

/** The POST form's signature: HMAC of the base64 policy with the signing key of its credential. */
export function verifyPolicySignature(
  form: { policy: string; credential: string; signature: string },
  credentials: readonly Credentials[],
): string {
  const malformed = () =>
    new S3Error(
      400,
      'InvalidArgument',
      'Invalid argument: x-amz-credential is not a valid SigV4 credential.',
    );
  const scope = parseCredential(form.credential, malformed);
  const secret = secretOf(credentials, scope.accessKeyId);
  const expected = hmac(signingKey(secret, scope.date, scope.region, scope.service), form.policy).toString(
    'hex',
  );
  if (!sameHex(expected, form.signature))
    throw new S3Error(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
  return scope.accessKeyId;
}

export { sha256Hex };
