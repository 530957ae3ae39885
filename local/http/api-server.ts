import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createDashboardHandler } from '#dashboard/serve';
import { parseGroups } from '#http/auth';
import { authorize } from '../auth/authorizer';
import type { SigningKey } from '../auth/keys';
import { OIDC_PREFIX, type OidcHandler } from '../auth/oidc';
import { type JsonObject, parseJson } from '../json';
import type { LambdaRuntime } from '../lambda/invoke';
import { errorText, type Logger } from '../log';
import type { CorsConfiguration, HttpApiSpec, JwtAuthorizerSpec } from '../template/model';
import { fromResultV2, GATEWAY_ERROR, type HttpReply, toEventV2 } from './event';
import { BodyTooLargeError, readBody, sendJson } from './io';
import { RouteTable } from './routes';

/** Endpoints of the local runtime itself, under /_local/ (no route of the API starts with `_`). */
export interface AdminEndpoints {
  getClock(): object;
  moveClock(body: JsonObject): Promise<object>;
  mintToken(body: JsonObject): Promise<object>;
  jwks(): object;
  deadLetters(): object;
}

export interface ApiServerOptions {
  api: HttpApiSpec;
  lambda: LambdaRuntime;
  key: SigningKey;
  accountId: string;
  admin: AdminEndpoints;
  /** The local issuer's authorizer: what proves the local admin on endpoints that change state. */
  adminAuthorizer: JwtAuthorizerSpec;
  /** The local issuer's sign-in (OIDC code + PKCE) under /_local/oidc/, and the client id the dashboard uses. */
  oidc?: { handler: OidcHandler; clientId: string };
  /** The local S3's origin: the dashboard posts an objection's new evidence there. */
  uploadOrigin?: string;
  logger: Logger;
}

const INTEGRATION_TIMEOUT_MS = 30_000;

function corsHeaders(
  cors: CorsConfiguration | undefined,
  origin: string | undefined,
  preflight: boolean,
): Record<string, string> {
  if (!cors || !origin) return {};
  const origins = cors.AllowOrigins ?? [];
  if (!origins.includes('*') && !origins.includes(origin)) return {};
  const headers: Record<string, string> = {
    'access-control-allow-origin': origins.includes('*') && !cors.AllowCredentials ? '*' : origin,
  };
  if (cors.AllowCredentials) headers['access-control-allow-credentials'] = 'true';
  if (preflight) {
    if (cors.AllowMethods?.length) headers['access-control-allow-methods'] = cors.AllowMethods.join(',');
    if (cors.AllowHeaders?.length) headers['access-control-allow-headers'] = cors.AllowHeaders.join(',');
    if (cors.MaxAge !== undefined) headers['access-control-max-age'] = String(cors.MaxAge);
  } else if (cors.ExposeHeaders?.length) {
    headers['access-control-expose-headers'] = cors.ExposeHeaders.join(',');
  }
  return headers;
}

function send(response: ServerResponse, reply: HttpReply, extra: Record<string, string>): void {
  response.writeHead(reply.status, { ...reply.headers, ...extra, 'content-length': reply.body.length });
  response.end(reply.body);
}

const refusal = (message_id: string, message_en: string) => ({ message: message_en, message_id, message_en });

/**
 * Moving the clock fires schedules (closes windows, starts national runs), so it takes what the
 * API's admin routes take: the local issuer's admin JWT. And a JSON body: a web page can send a
 * cross-origin `text/plain` POST without a preflight, never an `application/json` one.
 */
async function refuseUnlessAdminJson(
  request: IncomingMessage,
  key: SigningKey,
  authorizer: JwtAuthorizerSpec,
): Promise<[number, unknown] | undefined> {
  const auth = await authorize(authorizer, [], request.headers, key);
  if (!auth.ok)
    return [
      401,
      refusal(
        'Jam lokal hanya dapat digeser dengan token admin lokal (Authorization: Bearer <token>, dari `npx indeks token --role admin`).',
        'The local clock can only be moved with the local admin token (Authorization: Bearer <token>, from `npx indeks token --role admin`).',
      ),
    ];
  if (!parseGroups(auth.claims['cognito:groups']).includes('admin'))
    return [
      403,
      refusal(
        'Hanya peran admin yang dapat menggeser jam lokal.',
        'Only the admin role can move the local clock.',
      ),
    ];
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json')
    return [
      415,
      refusal(
        'Kirim badan JSON dengan Content-Type: application/json, mis. {"advance":"PT24H"}.',
        'Send a JSON body with Content-Type: application/json, e.g. {"advance":"PT24H"}.',
      ),
    ];
  return undefined;
}

async function admin(
  endpoints: AdminEndpoints,
  request: IncomingMessage,
  path: string,
  guard: () => Promise<[number, unknown] | undefined>,
): Promise<[number, unknown]> {
  const body = async (): Promise<JsonObject> => {
    const text = (await readBody(request, 64 * 1024)).toString('utf8');
    const parsed = text ? parseJson(text) : {};
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : {};
  };
  const method = request.method ?? 'GET';
  if (path === '/_local/clock' && method === 'GET') return [200, endpoints.getClock()];
  if (path === '/_local/clock' && method === 'POST')
    return (await guard()) ?? [200, await endpoints.moveClock(await body())];
  if (path === '/_local/token' && method === 'POST') return [200, await endpoints.mintToken(await body())];
  if (path === '/_local/jwks.json' && method === 'GET') return [200, endpoints.jwks()];
  if (path === '/_local/dead-letters' && method === 'GET') return [200, endpoints.deadLetters()];
  return [404, { message: 'Not Found' }];
}

/**
 * The HTTP API on 127.0.0.1: the template's routes, each request turned into the payload-2.0
 * event API Gateway would send to the route's function, JWT routes checked like the authorizer
 * does, CORS answered from the API's CorsConfiguration, and the result mapped back to HTTP.
 */
export function createApiServer(options: ApiServerOptions): Server {
  const routes = new RouteTable(options.api.routes);
  // The dashboard (static files) at /dashboard/, the same page the CDK app puts behind CloudFront.
  // It signs in through the local issuer, as it does through the Cognito hosted UI when deployed.
  const dashboard = createDashboardHandler({
    ...(options.oidc ? { oidc: { authority: OIDC_PREFIX, clientId: options.oidc.clientId } } : {}),
    ...(options.uploadOrigin ? { uploadOrigin: options.uploadOrigin } : {}),
  });
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const started = performance.now();
    const url = new URL(request.url ?? '/', 'http://local');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const method = request.method ?? 'GET';
    const origin = typeof request.headers.origin === 'string' ? request.headers.origin : undefined;
    const log = (status: number) =>
      options.logger.debug(
        `${method} ${url.pathname} ${status} ${Math.round(performance.now() - started)} ms`,
      );

    if (await dashboard(request, response)) {
      log(response.statusCode);
      return;
    }
    if (options.oidc && (await options.oidc.handler(request, response))) {
      log(response.statusCode);
      return;
    }
    if (path.startsWith('/_local/')) {
      try {
        const [status, body] = await admin(options.admin, request, path, () =>
          refuseUnlessAdminJson(request, options.key, options.adminAuthorizer),
        );
        sendJson(response, status, body);
      } catch (error) {
        sendJson(response, 400, { message: errorText(error) });
      }
      return;
    }
    if (
      method === 'OPTIONS' &&
      options.api.cors &&
      origin &&
      request.headers['access-control-request-method']
    ) {
      send(
        response,
        { status: 204, headers: {}, body: Buffer.alloc(0) },
        corsHeaders(options.api.cors, origin, true),
      );
      return log(204);
    }
    const cors = corsHeaders(options.api.cors, origin, false);
    const match = routes.match(method, path);
    if (!match) {
      send(response, GATEWAY_ERROR(404, 'Not Found'), cors);
      return log(404);
    }
    let claims: Record<string, string> | undefined;
    let scopes: string[] | null = null;
    if (match.route.authorizer) {
      const auth = await authorize(match.route.authorizer, match.route.scopes, request.headers, options.key);
      if (!auth.ok) {
        const challenge: Record<string, string> =
          auth.reason === 'missing token'
            ? {}
            : {
                'www-authenticate': `Bearer scope="" error="invalid_token" error_description="${auth.reason}"`,
              };
        send(response, GATEWAY_ERROR(auth.status, auth.status === 401 ? 'Unauthorized' : 'Forbidden'), {
          ...cors,
          ...challenge,
        });
        return log(auth.status);
      }
      ({ claims, scopes } = auth);
    }
    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      send(response, GATEWAY_ERROR(413, 'Request Entity Too Large'), cors);
      return log(413);
    }
    const fn = options.lambda.registry.get(match.route.functionArn);
    const event = toEventV2({
      request,
      body,
      routeKey: match.route.routeKey,
      pathParameters: match.pathParameters,
      apiId: options.api.apiId,
      accountId: options.accountId,
      claims,
      scopes,
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.min(match.route.timeoutMs, INTEGRATION_TIMEOUT_MS));
    });
    const result = await Promise.race([
      options.lambda.invoke(fn, event, `${method} ${url.pathname}`),
      timeout,
    ]);
    clearTimeout(timer);
    let reply: HttpReply;
    if (result === 'timeout') reply = GATEWAY_ERROR(503, 'Service Unavailable');
    else if (!result.ok) {
      options.logger.warn(
        `${method} ${url.pathname} → ${fn.entry ?? fn.name}: ${result.error.errorType}: ${result.error.errorMessage}`,
      );
      reply = GATEWAY_ERROR(500, 'Internal Server Error');
    } else reply = fromResultV2(result.payload);
    send(response, reply, cors);
    log(reply.status);
  };
  return createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.logger.error(`HTTP: ${errorText(error)}`);
      if (!response.headersSent) sendJson(response, 500, { message: 'Internal Server Error' });
      else response.end();
    });
  });
}
