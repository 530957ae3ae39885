import { createHash } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import { CursorError } from '#adapters/dynamo/pagination';
import { zodProblems } from '#domain/methodology/load';
import type { Problem } from '#domain/problems';
import { type Caller, callerOf } from './auth';
import { badRequest, HttpError, notFound } from './errors';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResponse = APIGatewayProxyStructuredResultV2;

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Undefined only on public routes. */
  caller: Caller;
  event: ApiEvent;
}

/** What a route returns: JSON by default, or raw bytes (exports) with their content type. */
export interface RouteResult {
  status?: number;
  body?: unknown;
  raw?: { body: Buffer | string; contentType: string; fileName?: string };
  headers?: Record<string, string>;
  /** Published, cacheable results: ETag + Cache-Control, and 304 on a matching If-None-Match. */
  cache?: { maxAgeSeconds: number };
}

export interface Route<P = unknown, Q = unknown, B = unknown> {
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  public?: boolean;
  // Method syntax: a table of differently typed routes stays assignable to `AnyRoute`.
  run(ctx: RouteContext<P, Q, B>): Promise<RouteResult>;
}

export interface AnyRoute {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  public?: boolean;
  run(ctx: RouteContext<never, never, never>): Promise<RouteResult>;
}

/** Keeps each route's types while the table stays heterogeneous. */
export const route = <P = undefined, Q = undefined, B = undefined>(spec: Route<P, Q, B>): Route<P, Q, B> =>
  spec;

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'indeks-api' });

/**
 * One Lambda serving several HTTP API routes, dispatched on `routeKey` (`GET /cycles/{cycleId}`).
 * Inputs are validated with zod; every failure is an RFC 9457 problem document, bilingual.
 */
export function httpApi(routes: Record<string, AnyRoute>) {
  return middy<ApiEvent, ApiResponse>()
    .use(httpHeaderNormalizer())
    .use({
      onError: (request) => {
        request.response = problemResponse(request.error);
      },
    })
    .handler(async (event) => {
      const spec = routes[event.routeKey] as Route | undefined;
      if (!spec) throw notFound(`Rute ${event.routeKey}`, `Route ${event.routeKey}`);
      const caller = spec.public ? { subject: '', roles: new Set<never>() } : callerOf(event);
      const problems: Problem[] = [];
      const params = parse(spec.params, event.pathParameters ?? {}, 'path', problems);
      const query = parse(spec.query, event.queryStringParameters ?? {}, 'query', problems);
      const body = spec.body ? parse(spec.body, jsonBody(event), 'body', problems) : undefined;
      if (problems.length > 0)
        throw badRequest(
          'INVALID_REQUEST',
          'Permintaan tidak sah; perbaiki isian yang disebut di "problems".',
          'Invalid request; fix the fields named in "problems".',
          problems,
        );
      return toResponse(await spec.run({ params, query, body, caller, event }), event);
    });
}

/** Every input's problems are gathered, so one answer names everything to fix. */
function parse(schema: z.ZodType | undefined, input: unknown, where: string, problems: Problem[]): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  problems.push(...zodProblems(result.error, where));
  return undefined;
}

function jsonBody(event: ApiEvent): unknown {
  if (!event.body) return {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(
      'BODY_NOT_JSON',
      'Isi permintaan bukan JSON yang sah.',
      'The request body is not valid JSON.',
    );
  }
}

function toResponse(result: RouteResult, event: ApiEvent): ApiResponse {
  const headers: Record<string, string> = { ...result.headers };
  let body: string;
  let isBase64Encoded = false;
  if (result.raw) {
    headers['content-type'] = result.raw.contentType;
    if (result.raw.fileName) headers['content-disposition'] = `attachment; filename="${result.raw.fileName}"`;
    if (Buffer.isBuffer(result.raw.body)) {
      body = result.raw.body.toString('base64');
      isBase64Encoded = true;
    } else body = result.raw.body;
  } else {
    headers['content-type'] = 'application/json; charset=utf-8';
    body = result.body === undefined ? '' : JSON.stringify(result.body);
  }
  if (result.cache) {
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
    headers.etag = etag;
    headers['cache-control'] = `private, max-age=${result.cache.maxAgeSeconds}`;
    const ifNoneMatch = event.headers?.['if-none-match'];
    if (ifNoneMatch?.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}`))
      return { statusCode: 304, headers };
  }
  return { statusCode: result.status ?? 200, headers, body, isBase64Encoded };
}

/** Known errors keep their status and words; anything else is logged and answered without internals. */
export function problemResponse(error: unknown): ApiResponse {
  const known =
    error instanceof HttpError
      ? error
      : error instanceof CursorError
        ? new HttpError(
            400,
            'INVALID_CURSOR',
            'Penanda halaman (cursor) tidak sah atau bukan untuk permintaan ini; mulai lagi dari halaman pertama tanpa cursor.',
            'The page cursor is invalid or belongs to another request; start again from the first page without the cursor.',
          )
        : isMiddyHttpError(error)
          ? new HttpError(error.statusCode, 'INVALID_REQUEST', 'Permintaan tidak sah.', error.message)
          : undefined;
  if (!known) logger.error('unhandled error', { error: error instanceof Error ? error : String(error) });
  const e =
    known ??
    new HttpError(
      500,
      'INTERNAL',
      'Terjadi kesalahan di server; silakan coba lagi. Bila berulang, hubungi admin dengan waktu kejadian.',
      'Something went wrong on the server; please try again. If it persists, contact the admin with the time it happened.',
    );
  return {
    statusCode: e.statusCode,
    headers: { 'content-type': 'application/problem+json; charset=utf-8' },
    body: JSON.stringify({
      type: `/problems/${e.code.toLowerCase().replaceAll('_', '-')}`,
      title: e.code,
      status: e.statusCode,
      detail: e.message_en,
      detail_id: e.message_id,
      ...(e.problems ? { problems: e.problems } : {}),
    }),
  };
}

function isMiddyHttpError(error: unknown): error is Error & { statusCode: number } {
  return (
    error instanceof Error &&
    'statusCode' in error &&
    typeof error.statusCode === 'number' &&
    error.statusCode >= 400 &&
    error.statusCode < 500
  );
}
