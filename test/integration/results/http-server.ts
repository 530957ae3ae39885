import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { exportJWK, generateKeyPair } from 'jose';
import { createDashboardHandler } from '#dashboard/serve';
import type { ApiResponse } from '#http/api';
import { createOidcIssuer, OIDC_PREFIX } from '#local/auth/oidc';
import { apiEvent } from '../../support/api-event';
import type { ResultsHarness } from './harness';

/** The routes api-results serves, as path patterns. */
const ROUTES = [
  'GET /cycles/{cycleId}/rankings',
  'GET /cycles/{cycleId}/regions/{kode}',
  'GET /cycles/{cycleId}/regions/{kode}/advice',
  'GET /cycles/{cycleId}/summary',
  'GET /regions/{kode}/history',
];

function match(
  method: string,
  path: string,
): { routeKey: string; params: Record<string, string> } | undefined {
  for (const routeKey of ROUTES) {
    const [m, template = ''] = routeKey.split(' ');
    if (m !== method) continue;
    const names: string[] = [];
    const pattern = new RegExp(
      `^${template.replace(/\{(\w+)\}/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      })}$`,
    );
    const found = pattern.exec(path);
    if (found)
      return {
        routeKey,
        params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(found[i + 1] ?? '')])),
      };
  }
  return undefined;
}

/** An unsigned token for this test server only: `header.payload.` with the claims in the payload. */
export function testToken(claims: { sub: string; groups: string[]; region?: string }): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({
    sub: claims.sub,
    'cognito:groups': claims.groups,
    ...(claims.region ? { 'custom:region': claims.region } : {}),
  })}.`;
}

function claimsOf(request: IncomingMessage): { sub: string; groups: string[]; region?: string } | undefined {
  const header = request.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : '';
  try {
    const payload = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as Record<string, unknown>;
    const groups = Array.isArray(payload['cognito:groups']) ? payload['cognito:groups'].map(String) : [];
    const region = payload['custom:region'];
    return typeof payload.sub === 'string'
      ? { sub: payload.sub, groups, ...(typeof region === 'string' ? { region } : {}) }
      : undefined;
  } catch {
    return undefined;
  }
}

const CLIENT_ID = 'seeded-dashboard';

/**
 * A small stand-in for the local runtime: the dashboard at /dashboard/ signing in through the
 * local issuer's OIDC endpoints, api-results behind API Gateway v2 events, plus GET /cycles from
 * the table (api-cycles' list, simplified). Tokens are read but not verified: this server exists
 * only for the seeded browser test. No verification stage here: its route answers 409 as the API does.
 */
export async function startResultsServer(
  h: ResultsHarness,
): Promise<{ url: string; close(): Promise<void> }> {
  const dashboard = createDashboardHandler({ oidc: { authority: OIDC_PREFIX, clientId: CLIENT_ID } });
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  const oidc = createOidcIssuer({
    key: { kid: 'seeded', alg: 'RS256', privateJwk, publicJwk: { ...publicJwk, kid: 'seeded' } },
    config: {
      issuer: 'https://cognito-idp.ap-southeast-3.amazonaws.com/seeded',
      clientId: CLIENT_ID,
      groups: ['operator', 'assessor', 'leadership', 'admin'],
    },
    now: () => Date.now(),
  });
  const server: Server = createServer((request, response) => {
    void (async () => {
      if (await dashboard(request, response)) return;
      if (await oidc(request, response)) return;
      const url = new URL(request.url ?? '/', 'http://local');
      const claims = claimsOf(request);
      if (!claims) {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: 'Unauthorized' }));
        return;
      }
      if (request.method === 'GET' && url.pathname === '/cycles') {
        const page = await h.table.repos.cycles.list({ limit: 100 });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ items: page.items }));
        return;
      }
      if (/^\/cycles\/[^/]+\/verification$/.test(url.pathname)) {
        response.writeHead(409, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ detail: 'No verification stage.', detail_id: 'Belum ada tahap verifikasi.' }),
        );
        return;
      }
      const found = match(request.method ?? 'GET', url.pathname);
      if (!found) {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: 'Not Found' }));
        return;
      }
      const event = apiEvent(found.routeKey, {
        params: found.params,
        query: Object.fromEntries(url.searchParams),
        headers: Object.fromEntries(
          Object.entries(request.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
        ),
        groups: claims.groups,
        sub: claims.sub,
        ...(claims.region ? { region: claims.region } : {}),
      });
      const out: ApiResponse = await h.handler(event, {} as Context);
      const body = out.body
        ? Buffer.from(out.body, out.isBase64Encoded ? 'base64' : 'utf8')
        : Buffer.alloc(0);
      response.writeHead(out.statusCode ?? 200, {
        ...Object.fromEntries(Object.entries(out.headers ?? {}).map(([k, v]) => [k, String(v)])),
        'content-length': body.length,
      });
      response.end(body);
    })().catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
