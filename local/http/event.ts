import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { now as productNow } from '#adapters/clock';
import { isJsonObject, type Json, type JsonObject } from '../json';

const TEXT =
  /^(text\/|application\/(json|javascript|xml|x-www-form-urlencoded)|application\/[^;]+\+(json|xml))/i;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, API Gateway's requestContext.time. */
function requestTime(at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:${p(at.getUTCHours())}:${p(at.getUTCMinutes())}:${p(at.getUTCSeconds())} +0000`;
}

export interface EventInput {
  request: IncomingMessage;
  body: Buffer;
  routeKey: string;
  pathParameters: Record<string, string>;
  apiId: string;
  accountId: string;
  claims: Record<string, string> | undefined;
  scopes: string[] | null;
}

/** An API Gateway HTTP API (payload format 2.0) event for one request, field for field. */
export function toEventV2(input: EventInput): JsonObject {
  const { request, body } = input;
  const url = new URL(request.url ?? '/', 'http://local');
  const rawUrl = request.url ?? '';
  const rawQueryString = rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?') + 1) : '';
  const headers: Record<string, string> = {};
  let cookies: string[] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const joined = Array.isArray(value) ? value.join(',') : value;
    if (name === 'cookie') cookies = joined.split(/;\s*/).filter(Boolean);
    else headers[name] = joined;
  }
  const host = headers.host ?? '127.0.0.1';
  headers['x-forwarded-for'] = request.socket.remoteAddress ?? '127.0.0.1';
  headers['x-forwarded-port'] = String(request.socket.localPort ?? '');
  headers['x-forwarded-proto'] = 'http';
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const binary = body.length > 0 && !TEXT.test(headers['content-type'] ?? '');
  // API Gateway's request time is product time (the moved local clock).
  const now = productNow();
  const requestContext: JsonObject = {
    accountId: input.accountId,
    apiId: input.apiId,
    // JWT routes carry the claims (scopes null when the token has no scope claim, e.g. ID
    // tokens); routes without an authorizer carry no `authorizer` at all.
    ...(input.claims ? { authorizer: { jwt: { claims: input.claims, scopes: input.scopes } } } : {}),
    domainName: host,
    domainPrefix: host.split('.')[0] ?? host,
    http: {
      method: request.method ?? 'GET',
      path: url.pathname,
      protocol: `HTTP/${request.httpVersion}`,
      sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
      userAgent: headers['user-agent'] ?? '',
    },
    requestId: randomUUID(),
    routeKey: input.routeKey,
    stage: '$default',
    time: requestTime(now),
    timeEpoch: now.getTime(),
  };
  return {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: url.pathname,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext,
    ...(body.length > 0 ? { body: binary ? body.toString('base64') : body.toString('utf8') } : {}),
    ...(Object.keys(input.pathParameters).length > 0 ? { pathParameters: input.pathParameters } : {}),
    isBase64Encoded: binary,
  };
}

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

export const GATEWAY_ERROR = (status: number, message: string): HttpReply => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify({ message })),
});

/**
 * How API Gateway turns a payload-2.0 result into a response: a `{statusCode, …}` object is
 * taken as is (headers, cookies, base64 body); any other JSON is a 200 application/json body.
 */
export function fromResultV2(result: Json): HttpReply {
  if (isJsonObject(result) && 'statusCode' in result) {
    const status = result.statusCode;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
      return GATEWAY_ERROR(500, 'Internal Server Error');
    }
    const headers: Record<string, string | string[]> = {};
    if (isJsonObject(result.headers)) {
      for (const [k, v] of Object.entries(result.headers))
        if (v !== null && typeof v !== 'object') headers[k.toLowerCase()] = String(v);
    }
    if (Array.isArray(result.cookies) && result.cookies.length > 0)
      headers['set-cookie'] = result.cookies.map(String);
    const raw = result.body;
    const text = raw === undefined || raw === null ? '' : typeof raw === 'string' ? raw : JSON.stringify(raw);
    const body = result.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
    return { status, headers, body };
  }
  const text = typeof result === 'string' ? result : JSON.stringify(result);
  return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(text) };
}
