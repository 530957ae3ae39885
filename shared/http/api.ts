import { createHash } from 'node:crypto';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import { logger, powertools } from '#adapters/observability';
import { zodProblems } from '#domain/methodology/load';
import type { Problem } from '#domain/problems';
import { type Caller, callerOf } from './auth';
import { badRequest, notFound, toHttpError } from './errors';

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

/**
 * One Lambda serving several HTTP API routes, dispatched on `routeKey` (`GET /cycles/{cycleId}`).
 * Inputs are validated with zod; every failure is an RFC 9457 problem document, bilingual.
 * Carries the Powertools middlewares (Lambda context in the logs, traced handler); call it inside
 * the function's environment (module level of the handler file, or its first invocation).
 */
export function httpApi(routes: Record<string, AnyRoute>) {
  return middy<ApiEvent, ApiResponse>()
    .use(powertools())
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
  const e = toHttpError(error);
  if (e.statusCode >= 500)
    logger().error('unhandled error', { error: e.cause instanceof Error ? e.cause : String(e.cause) });
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
