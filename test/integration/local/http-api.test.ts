import { generateKeyPair, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey } from '#local/auth/keys';
import type { Json } from '#local/json';
import { runCli } from '../../support/cli';
import { startTestRuntime, type TestRuntime } from './support';

interface Echoed {
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  headers: Record<string, string>;
  cookies?: string[];
  queryStringParameters?: Record<string, string>;
  pathParameters?: Record<string, string>;
  body?: string;
  isBase64Encoded: boolean;
  requestContext: {
    authorizer?: { jwt: { claims: Record<string, string>; scopes: string[] | null } };
    http: { method: string };
  };
}

let reply: (event: Json) => unknown = (event) => ({ statusCode: 200, body: JSON.stringify(event) });
const echo = (event: Json) => reply(event);
let t: TestRuntime;
let api = '';

beforeAll(async () => {
  t = await startTestRuntime({
    'functions/api-cycles.ts': echo,
    'functions/api-submissions.ts': echo,
    'functions/api-results.ts': echo,
    'functions/request-upload.ts': echo,
  });
  api = t.runtime.urls.api;
});
afterAll(async () => {
  await t?.stop();
});

const get = (path: string, token?: string, init: RequestInit = {}) =>
  fetch(`${api}${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) },
  });

async function echoed(response: Response): Promise<Echoed> {
  expect(response.status).toBe(200);
  return (await response.json()) as Echoed;
}

describe('JWT authorizer (like API Gateway HTTP API)', () => {
  it('answers 401 {"message":"Unauthorized"} without a token, with a garbage token, or with a foreign signature', async () => {
    reply = (event) => ({ statusCode: 200, body: JSON.stringify(event) });
    const none = await get('/cycles');
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ message: 'Unauthorized' });
    expect((await get('/cycles', 'not-a-jwt')).status).toBe(401);

    const issuer = t.runtime.template.httpApis()[0]?.routes.find((r) => r.authorizer)?.authorizer;
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ 'cognito:groups': ['admin'], token_use: 'id' })
      .setProtectedHeader({ alg: 'RS256', kid: (await loadOrCreateSigningKey(t.dataDir)).kid })
      .setIssuer(issuer?.issuer ?? '')
      .setAudience(issuer?.audience[0] ?? '')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    const rejected = await get('/cycles', forged);
    expect(rejected.status).toBe(401);
    expect(await rejected.json()).toEqual({ message: 'Unauthorized' });
  });

  it('refuses a token for another audience or issuer, and an expired one', async () => {
    const key = await loadOrCreateSigningKey(t.dataDir);
    const issuer = t.runtime.template.httpApis()[0]?.routes.find((r) => r.authorizer)?.authorizer;
    const sign = async (iss: string, aud: string, exp: number) =>
      new SignJWT({ token_use: 'id' })
        .setProtectedHeader({ alg: 'RS256', kid: key.kid })
        .setIssuer(iss)
        .setAudience(aud)
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(await importJWK(key.privateJwk, 'RS256'));
    const hour = Math.floor(Date.now() / 1000) + 3600;
    expect((await get('/cycles', await sign(issuer?.issuer ?? '', 'other-client', hour))).status).toBe(401);
    expect(
      (await get('/cycles', await sign('https://example.com/other', issuer?.audience[0] ?? '', hour))).status,
    ).toBe(401);
    const expired = await get(
      '/cycles',
      await sign(issuer?.issuer ?? '', issuer?.audience[0] ?? '', hour - 7200),
    );
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/expired/);
  });

  it('passes the claims of a valid token as strings, arrays bracketed as API Gateway does', async () => {
    const token = await t.runtime.mintToken({ role: 'operator', region: '18.01' });
    const event = await echoed(
      await get('/cycles/2026-iid/regions/18.01/submissions?page=2&tag=a&tag=b', token),
    );
    const { claims, scopes } = event.requestContext.authorizer?.jwt ?? { claims: {}, scopes: [] };
    expect(claims['cognito:groups']).toBe('[operator]');
    expect(claims['custom:region']).toBe('18.01');
    expect(claims.token_use).toBe('id');
    expect(claims.email_verified).toBe('true');
    expect(claims.exp).toMatch(/^\d+$/);
    expect(claims.aud).toBe(
      t.runtime.template.httpApis()[0]?.routes.find((r) => r.authorizer)?.authorizer?.audience[0],
    );
    expect(scopes).toBeNull();
    expect(event.routeKey).toBe('GET /cycles/{cycleId}/regions/{kode}/submissions');
    expect(event.pathParameters).toEqual({ cycleId: '2026-iid', kode: '18.01' });
    expect(event.rawQueryString).toBe('page=2&tag=a&tag=b');
    expect(event.queryStringParameters).toEqual({ page: '2', tag: 'a,b' });
  });

  it('accepts access tokens (client_id instead of aud) and tokens minted by `indeks token`', async () => {
    const access = await t.runtime.mintToken({ role: 'admin', tokenUse: 'access' });
    const event = await echoed(await get('/cycles', access));
    expect(event.requestContext.authorizer?.jwt.claims.token_use).toBe('access');
    expect(event.requestContext.authorizer?.jwt.scopes).toEqual(['aws.cognito.signin.user.admin']);

    const cli = await runCli(['token', '--role', 'assessor', '--data-dir', t.dataDir]);
    expect(cli.code).toBe(0);
    const fromCli = await echoed(await get('/regions/18.01/history', cli.stdout.trim()));
    expect(fromCli.requestContext.authorizer?.jwt.claims['cognito:groups']).toBe('[assessor]');

    const unknownRole = await runCli(['token', '--role', 'mayor', '--data-dir', t.dataDir]);
    expect(unknownRole.code).toBe(2);
    expect(unknownRole.stderr).toMatch(/Peran "mayor" tidak dikenal.*Unknown role "mayor"/s);
    const noRegion = await runCli(['token', '--role', 'operator', '--data-dir', t.dataDir]);
    expect(noRegion.code).toBe(2);
    expect(noRegion.stderr).toMatch(/--region/);
  });

  it('lets public routes through without an authorizer in the event', async () => {
    const event = await echoed(await get('/health'));
    expect(event.routeKey).toBe('GET /health');
    expect(event.requestContext.authorizer).toBeUndefined();
  });
});

describe('API Gateway v2 event and response mapping', () => {
  it('answers 404 {"message":"Not Found"} for a path or method without a route', async () => {
    const token = await t.runtime.mintToken({ role: 'admin' });
    for (const response of [
      await get('/nowhere', token),
      await get('/health', token, { method: 'DELETE' }),
    ]) {
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: 'Not Found' });
    }
  });

  it('sends binary bodies base64-encoded, text bodies as is, cookies apart from headers', async () => {
    const token = await t.runtime.mintToken({ role: 'admin' });
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const binary = await echoed(
      await get('/cycles', token, {
        method: 'POST',
        body: bytes,
        headers: { 'content-type': 'application/octet-stream' },
      }),
    );
    expect(binary.isBase64Encoded).toBe(true);
    expect(Buffer.from(binary.body ?? '', 'base64')).toEqual(bytes);
    const text = await echoed(
      await get('/cycles', token, {
        method: 'POST',
        body: '{"nama":"Siklus"}',
        headers: { 'content-type': 'application/json', cookie: 'a=1; b=2' },
      }),
    );
    expect(text).toMatchObject({
      isBase64Encoded: false,
      body: '{"nama":"Siklus"}',
      cookies: ['a=1', 'b=2'],
    });
    expect(text.headers.cookie).toBeUndefined();
    expect(text.headers['x-forwarded-proto']).toBe('http');
  });

  it('maps statusCode, headers, cookies and base64 bodies back; other results become 200 JSON; errors 500', async () => {
    reply = () => ({
      statusCode: 201,
      headers: { 'X-Indeks': 'ya', 'content-type': 'application/pdf' },
      cookies: ['s=1; Path=/', 't=2'],
      body: Buffer.from('%PDF-1.7').toString('base64'),
      isBase64Encoded: true,
    });
    const created = await get('/health');
    expect(created.status).toBe(201);
    expect(created.headers.get('x-indeks')).toBe('ya');
    expect(created.headers.getSetCookie()).toEqual(['s=1; Path=/', 't=2']);
    expect(Buffer.from(await created.arrayBuffer()).toString()).toBe('%PDF-1.7');

    reply = () => ({ status: 'ok' });
    const plain = await get('/health');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('application/json');
    expect(await plain.json()).toEqual({ status: 'ok' });

    reply = () => {
      throw new Error('boom');
    };
    const failed = await get('/health');
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ message: 'Internal Server Error' });
    reply = (event) => ({ statusCode: 200, body: JSON.stringify(event) });
  });

  it('answers CORS preflight from the API’s CorsConfiguration', async () => {
    const response = await fetch(`${api}/cycles`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
  });

  it('serves the local issuer’s public keys', async () => {
    const jwks = (await (await fetch(`${api}/_local/jwks.json`)).json()) as {
      keys: { kid: string; d?: string }[];
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]?.d).toBeUndefined();
  });
});
