import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize } from '#local/auth/authorizer';
import { loadOrCreateSigningKey, type SigningKey } from '#local/auth/keys';
import { CODE_TTL_MS, createOidcIssuer, s256 } from '#local/auth/oidc';
import type { IssuerConfig } from '#local/auth/tokens';

/**
 * The local issuer's OpenID Connect endpoints over real HTTP, as oidc-client-ts calls them:
 * discovery, the user picker, the code redirect, the token exchange with PKCE (S256), JWKS.
 */
const config: IssuerConfig = {
  issuer: 'https://cognito-idp.ap-southeast-3.amazonaws.com/local',
  clientId: 'dashboard-client',
  groups: ['operator', 'assessor', 'leadership', 'admin'],
};
let dir = '';
let key: SigningKey;
let server: Server;
let base = '';
/** The product clock the issuer reads; the expiry test moves it. */
let clock = Date.parse('2026-03-01T00:00:00Z');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'indeks-oidc-'));
  key = await loadOrCreateSigningKey(dir);
  const issuer = createOidcIssuer({ key, config, now: () => clock });
  server = createServer((request, response) => {
    issuer(request, response).then((handled) => {
      if (!handled) response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

const redirectUri = () => `${base}/dashboard/`;

function authorizeQuery(challenge: string, overrides: Record<string, string> = {}) {
  return new URLSearchParams({
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: 'openid email profile',
    state: 'state-123',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    nonce: 'nonce-456',
    ...overrides,
  });
}

/** Picks a user on the authorize page; returns the code from the redirect. */
async function signIn(verifier: string, user: Record<string, string>): Promise<string> {
  const form = authorizeQuery(s256(verifier));
  for (const [n, v] of Object.entries(user)) form.set(n, v);
  const res = await fetch(`${base}/_local/oidc/authorize`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(redirectUri());
  expect(location.searchParams.get('state')).toBe('state-123');
  return location.searchParams.get('code') ?? '';
}

const exchange = (code: string, verifier: string, more: Record<string, string> = {}) =>
  fetch(`${base}/_local/oidc/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      redirect_uri: redirectUri(),
      code,
      code_verifier: verifier,
      ...more,
    }),
  });

const newVerifier = () => randomBytes(32).toString('base64url');

describe('local OIDC issuer (authorization code + PKCE)', () => {
  it('publishes discovery with its own endpoints, the user pool issuer, S256 only, and its keys', async () => {
    const res = await fetch(`${base}/_local/oidc/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: config.issuer,
      authorization_endpoint: `${base}/_local/oidc/authorize`,
      token_endpoint: `${base}/_local/oidc/token`,
      jwks_uri: `${base}/_local/oidc/jwks.json`,
      end_session_endpoint: `${base}/_local/oidc/logout`,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
    });
    const jwks = (await (await fetch(`${base}/_local/oidc/jwks.json`)).json()) as {
      keys: { kid: string; d?: string }[];
    };
    expect(jwks.keys.map((k) => k.kid)).toEqual([key.kid]);
    expect(jwks.keys[0]?.d).toBeUndefined();
  });

  it('serves a picker page for a valid request, and refuses an unknown client, a foreign redirect or no PKCE', async () => {
    const page = await fetch(`${base}/_local/oidc/authorize?${authorizeQuery(s256(newVerifier()))}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
    const text = await page.text();
    expect(text).toContain('<select id="role" name="role">');
    expect(text).toContain('<option value="assessor">assessor</option>');
    expect(text).toContain('name="code_challenge"');
    const refused: Record<string, string>[] = [
      { client_id: 'someone-else' },
      { redirect_uri: 'https://evil.example/cb' },
      { code_challenge_method: 'plain' },
      { code_challenge: '' },
    ];
    for (const bad of refused) {
      const res = await fetch(`${base}/_local/oidc/authorize?${authorizeQuery(s256(newVerifier()), bad)}`, {
        redirect: 'manual',
      });
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
  });

  it('issues the same ID and access tokens as `indeks token`, which the API authorizer accepts', async () => {
    const verifier = newVerifier();
    const code = await signIn(verifier, { role: 'assessor', province: '31' });
    const res = await exchange(code, verifier);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as {
      id_token: string;
      access_token: string;
      token_type: string;
      expires_in: number;
    };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(3600);
    const spec = {
      logicalId: 'Jwt',
      issuer: config.issuer,
      audience: [config.clientId],
      identitySource: ['$request.header.Authorization'],
    };
    const id = await authorize(spec, [], { authorization: `Bearer ${body.id_token}` }, key, new Date(clock));
    expect(id.ok).toBe(true);
    if (!id.ok) return;
    expect(id.claims['cognito:groups']).toBe('[assessor]');
    expect(id.claims['custom:province']).toBe('31');
    expect(id.claims.token_use).toBe('id');
    expect(id.claims.nonce).toBe('nonce-456');
    expect(Number(id.claims.exp) - Number(id.claims.iat)).toBe(3600);
    const access = await authorize(spec, [], { authorization: body.access_token }, key, new Date(clock));
    expect(access.ok && access.claims.token_use).toBe('access');
  });

  it('refuses a code_verifier that does not match the code_challenge', async () => {
    const verifier = newVerifier();
    const code = await signIn(verifier, { role: 'operator', region: '18.01' });
    const res = await exchange(code, newVerifier());
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining('PKCE S256'),
    });
    // The failed attempt spent the code: the right verifier no longer helps.
    expect((await exchange(code, verifier)).status).toBe(400);
  });

  it('accepts a code once only', async () => {
    const verifier = newVerifier();
    const code = await signIn(verifier, { role: 'admin' });
    expect((await exchange(code, verifier)).status).toBe(200);
    const again = await exchange(code, verifier);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining('already used'),
    });
  });

  it('refuses a code after five minutes on the product clock', async () => {
    const verifier = newVerifier();
    const code = await signIn(verifier, { role: 'leadership' });
    clock += CODE_TTL_MS + 1000;
    const res = await exchange(code, verifier);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining('expired'),
    });
  });

  it('refuses a code redeemed for another redirect URI or client', async () => {
    const verifier = newVerifier();
    const code = await signIn(verifier, { role: 'admin' });
    expect((await exchange(code, verifier, { redirect_uri: `${base}/other/` })).status).toBe(400);
  });

  it('shows the picker again with the reason when the user is not valid (an operator without region)', async () => {
    const form = authorizeQuery(s256(newVerifier()));
    form.set('role', 'operator');
    const res = await fetch(`${base}/_local/oidc/authorize`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('Operator harus terikat pada satu wilayah');
    expect(text).toContain('<option value="operator" selected>');
  });

  it('signs out back to the dashboard on its own origin only', async () => {
    const back = await fetch(
      `${base}/_local/oidc/logout?client_id=${config.clientId}&logout_uri=${encodeURIComponent(redirectUri())}`,
      { redirect: 'manual' },
    );
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe(redirectUri());
    const foreign = await fetch(
      `${base}/_local/oidc/logout?logout_uri=${encodeURIComponent('https://evil.example/')}`,
      {
        redirect: 'manual',
      },
    );
    expect(foreign.status).toBe(200);
  });
});
