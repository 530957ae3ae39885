/**
 * The local issuer as an OpenID Connect provider, enough for the dashboard's oidc-client-ts to run
 * the same authorization code + PKCE flow it runs against the Cognito hosted UI when deployed:
 *
 *   GET  /_local/oidc/.well-known/openid-configuration   discovery
 *   GET  /_local/oidc/authorize                           a page to pick a development user
 *   POST /_local/oidc/authorize                           the picked user → 302 to redirect_uri?code=…&state=…
 *   POST /_local/oidc/token                               code + code_verifier (S256) → ID and access tokens
 *   GET  /_local/oidc/jwks.json                           the public signing key
 *   GET  /_local/oidc/logout                              back to logout_uri / post_logout_redirect_uri
 *
 * No passwords: locally anyone at the keyboard is every user (as with `indeks token`). What is
 * checked is what a real provider checks: the client id, a redirect URI on this server's own origin
 * (the dashboard it serves), the PKCE verifier against the challenge, codes single-use and expiring
 * after five minutes on the product clock (moved by `/_local/clock`). Pending codes live in memory:
 * a restart between the picker and the token exchange only means signing in again.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../http/io';
import type { SigningKey } from './keys';
import { type IssuerConfig, mintToken, type TokenRequest, TokenRequestError } from './tokens';

export const OIDC_PREFIX = '/_local/oidc';
/** Authorization codes are valid five minutes (Cognito's are too). */
export const CODE_TTL_MS = 5 * 60_000;
/** Tokens from the local sign-in live an hour, like the user pool client's. */
const TOKEN_TTL_SECONDS = 3600;
/** RFC 7636: 43–128 characters of the unreserved set. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export interface OidcIssuerOptions {
  key: SigningKey;
  config: IssuerConfig;
  /** The product clock (epoch ms): codes expire and tokens are minted on it. */
  now: () => number;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  user: TokenRequest;
  nonce?: string;
  expiresAt: number;
}

interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  state: string;
  challenge: string;
  nonce?: string;
  scope: string;
}

/** Answers requests under /_local/oidc/ (true), or leaves them to the caller (false). */
export type OidcHandler = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

export const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function originOf(request: IncomingMessage): string {
  // The runtime listens on 127.0.0.1 only; the Host header is the address the browser used.
  return `http://${request.headers.host ?? '127.0.0.1'}`;
}

function json(response: ServerResponse, status: number, body: unknown): true {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    // oidc-client-ts reads discovery, keys and tokens with fetch; the dashboard may sit on another origin.
    'access-control-allow-origin': '*',
  });
  response.end(text);
  return true;
}

/** RFC 6749 §5.2 error answer of the token endpoint, with a bilingual description. */
const tokenError = (response: ServerResponse, error: string, id: string, en: string) =>
  json(response, 400, { error, error_description: `${id} / ${en}` });

function html(response: ServerResponse, status: number, body: string): true {
  const nonce = randomBytes(16).toString('base64');
  const page = body.replace(/<style>/g, `<style nonce="${nonce}">`);
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(page),
    'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cache-control': 'no-store',
  });
  response.end(page);
  return true;
}

function redirect(response: ServerResponse, location: string): true {
  response.writeHead(302, { location, 'content-length': 0, 'cache-control': 'no-store' });
  response.end();
  return true;
}

export function createOidcIssuer(options: OidcIssuerOptions): OidcHandler {
  const { key, config, now } = options;
  const codes = new Map<string, PendingCode>();
  const groups = config.groups.length > 0 ? config.groups : ['operator', 'assessor', 'leadership', 'admin'];

  const discovery = (base: string) => ({
    // The tokens' `iss` is the user pool's (what the API's authorizer checks), not this URL.
    issuer: config.issuer,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    jwks_uri: `${base}/jwks.json`,
    end_session_endpoint: `${base}/logout`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code'],
    code_challenge_methods_supported: ['S256'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'email', 'profile'],
    token_endpoint_auth_methods_supported: ['none'],
    claims_supported: ['sub', 'email', 'name', 'cognito:groups', 'custom:region', 'custom:province'],
  });

  /** What a real provider refuses without redirecting (an unknown client or a foreign redirect URI). */
  const checkAuthorize = (
    request: IncomingMessage,
    query: URLSearchParams,
  ): { ok: true; params: AuthorizeParams } | { ok: false; id: string; en: string } => {
    const clientId = query.get('client_id') ?? '';
    const redirectUri = query.get('redirect_uri') ?? '';
    if (clientId !== config.clientId)
      return {
        ok: false,
        id: `client_id "${clientId}" tidak dikenal (yang sah: ${config.clientId}).`,
        en: `Unknown client_id "${clientId}" (valid: ${config.clientId}).`,
      };
    let target: URL;
    try {
      target = new URL(redirectUri);
    } catch {
      return { ok: false, id: 'redirect_uri tidak sah.', en: 'redirect_uri is not a URL.' };
    }
    if (target.origin !== originOf(request))
      return {
        ok: false,
        id: `redirect_uri harus di ${originOf(request)} (dasbor lokal).`,
        en: `redirect_uri must be on ${originOf(request)} (the local dashboard).`,
      };
    if (query.get('response_type') !== 'code')
      return { ok: false, id: 'Hanya response_type=code.', en: 'Only response_type=code is supported.' };
    const challenge = query.get('code_challenge') ?? '';
    if (query.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(challenge))
      return {
        ok: false,
        id: 'PKCE wajib: code_challenge dengan code_challenge_method=S256.',
        en: 'PKCE is required: code_challenge with code_challenge_method=S256.',
      };
    const nonce = query.get('nonce');
    return {
      ok: true,
      params: {
        clientId,
        redirectUri,
        state: query.get('state') ?? '',
        challenge,
        scope: query.get('scope') ?? 'openid',
        ...(nonce ? { nonce } : {}),
      },
    };
  };

  const picker = (
    params: AuthorizeParams,
    error?: { id: string; en: string },
    user?: Partial<TokenRequest>,
  ) => {
    const hidden = Object.entries({
      client_id: params.clientId,
      redirect_uri: params.redirectUri,
      state: params.state,
      code_challenge: params.challenge,
      code_challenge_method: 'S256',
      response_type: 'code',
      scope: params.scope,
      ...(params.nonce ? { nonce: params.nonce } : {}),
    })
      .map(([n, v]) => `<input type="hidden" name="${n}" value="${escapeHtml(v)}">`)
      .join('');
    const options = groups
      .map(
        (g) =>
          `<option value="${escapeHtml(g)}"${user?.role === g ? ' selected' : ''}>${escapeHtml(g)}</option>`,
      )
      .join('');
    return `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Masuk (pengguna pengembangan) — Indeks lokal</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
label{display:block;margin:.8rem 0 .2rem;font-weight:600}input,select{font:inherit;padding:.35rem;width:100%;box-sizing:border-box}
button{font:inherit;margin-top:1.2rem;padding:.5rem 1.2rem;background:#0b5cad;color:#fff;border:0;border-radius:4px}
.hint{color:#444;font-size:.9rem}.error{background:#fdecea;border-left:4px solid #b3261e;padding:.5rem .8rem}</style>
</head><body><main>
<h1>Masuk sebagai pengguna pengembangan</h1>
<p class="hint">Penerbit token lokal: tanpa kata sandi, pilih peran dan wilayahnya. <span lang="en">Local issuer: no password; pick a role and its region.</span></p>
${error ? `<p class="error" role="alert">${escapeHtml(error.id)}<br><span lang="en">${escapeHtml(error.en)}</span></p>` : ''}
<form method="post" action="authorize">${hidden}
<label for="role">Peran <span lang="en">(role)</span></label>
<select id="role" name="role">${options}</select>
<label for="region">Wilayah (kode Kemendagri) <span lang="en">(region, operators)</span></label>
<input id="region" name="region" inputmode="decimal" placeholder="mis. 18.01" value="${escapeHtml(user?.region ?? '')}" aria-describedby="region-hint">
<p id="region-hint" class="hint">Wajib untuk operator. <span lang="en">Required for an operator.</span></p>
<label for="province">Provinsi asal penilai <span lang="en">(assessor's home province)</span></label>
<input id="province" name="province" inputmode="numeric" placeholder="mis. 31" value="${escapeHtml(user?.province ?? '')}">
<button type="submit">Masuk <span lang="en">/ Sign in</span></button>
</form></main></body></html>`;
  };

  const authorizePost = async (request: IncomingMessage, response: ServerResponse) => {
    const form = new URLSearchParams((await readBody(request, 64 * 1024)).toString('utf8'));
    const checked = checkAuthorize(request, form);
    if (!checked.ok) return html(response, 400, errorPage(checked));
    const role = form.get('role') ?? '';
    const region = form.get('region')?.trim() || undefined;
    const province = form.get('province')?.trim() || undefined;
    const user: TokenRequest = { role, ...(region ? { region } : {}), ...(province ? { province } : {}) };
    try {
      // Minting once validates the role, region and province exactly as `indeks token` does.
      await mintToken(key, config, { ...user, now: now() });
    } catch (error) {
      if (!(error instanceof TokenRequestError)) throw error;
      return html(
        response,
        400,
        picker(checked.params, { id: error.message_id, en: error.message_en }, user),
      );
    }
    const code = randomBytes(32).toString('base64url');
    codes.set(code, {
      clientId: checked.params.clientId,
      redirectUri: checked.params.redirectUri,
      challenge: checked.params.challenge,
      user,
      ...(checked.params.nonce ? { nonce: checked.params.nonce } : {}),
      expiresAt: now() + CODE_TTL_MS,
    });
    for (const [c, pending] of codes) if (pending.expiresAt < now() - CODE_TTL_MS) codes.delete(c);
    const target = new URL(checked.params.redirectUri);
    target.searchParams.set('code', code);
    if (checked.params.state) target.searchParams.set('state', checked.params.state);
    return redirect(response, target.href);
  };

  const token = async (request: IncomingMessage, response: ServerResponse) => {
    const form = new URLSearchParams((await readBody(request, 64 * 1024)).toString('utf8'));
    if (form.get('grant_type') !== 'authorization_code')
      return json(response, 400, {
        error: 'unsupported_grant_type',
        error_description: 'Hanya authorization_code / only authorization_code',
      });
    const code = form.get('code') ?? '';
    const pending = codes.get(code);
    // Single use: whatever happens next, this code is spent.
    codes.delete(code);
    if (!pending)
      return tokenError(
        response,
        'invalid_grant',
        'Kode otorisasi tidak dikenal atau sudah dipakai',
        'Unknown or already used authorization code',
      );
    if (now() > pending.expiresAt)
      return tokenError(
        response,
        'invalid_grant',
        'Kode otorisasi kedaluwarsa; masuk lagi',
        'The authorization code has expired; sign in again',
      );
    if (form.get('client_id') !== pending.clientId || form.get('redirect_uri') !== pending.redirectUri)
      return tokenError(
        response,
        'invalid_grant',
        'client_id atau redirect_uri tidak sama dengan permintaan otorisasi',
        'client_id or redirect_uri differs from the authorization request',
      );
    const verifier = form.get('code_verifier') ?? '';
    if (!VERIFIER.test(verifier) || s256(verifier) !== pending.challenge)
      return tokenError(
        response,
        'invalid_grant',
        'code_verifier tidak cocok dengan code_challenge (PKCE S256)',
        'code_verifier does not match the code_challenge (PKCE S256)',
      );
    const at = now();
    const common = { ...pending.user, now: at, ttlSeconds: TOKEN_TTL_SECONDS };
    const [idToken, accessToken] = await Promise.all([
      mintToken(key, config, {
        ...common,
        tokenUse: 'id',
        ...(pending.nonce ? { nonce: pending.nonce } : {}),
      }),
      mintToken(key, config, { ...common, tokenUse: 'access' }),
    ]);
    return json(response, 200, {
      id_token: idToken,
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: TOKEN_TTL_SECONDS,
    });
  };

  const logout = (request: IncomingMessage, response: ServerResponse, query: URLSearchParams) => {
    const back = query.get('post_logout_redirect_uri') ?? query.get('logout_uri');
    if (back) {
      try {
        if (new URL(back).origin === originOf(request)) return redirect(response, back);
      } catch {
        // Not a URL: the page below.
      }
    }
    return html(
      response,
      200,
      '<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Keluar</title></head><body><p>Anda sudah keluar. <span lang="en">You are signed out.</span></p></body></html>',
    );
  };

  return async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://local');
    if (!url.pathname.startsWith(`${OIDC_PREFIX}/`)) return false;
    const path = url.pathname.slice(OIDC_PREFIX.length);
    const method = request.method ?? 'GET';
    const base = `${originOf(request)}${OIDC_PREFIX}`;
    if (method === 'OPTIONS') {
      response.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'content-type',
        'content-length': 0,
      });
      response.end();
      return true;
    }
    if (path === '/.well-known/openid-configuration' && method === 'GET')
      return json(response, 200, discovery(base));
    if (path === '/jwks.json' && method === 'GET') return json(response, 200, { keys: [key.publicJwk] });
    if (path === '/authorize' && method === 'GET') {
      const checked = checkAuthorize(request, url.searchParams);
      return checked.ok
        ? html(response, 200, picker(checked.params))
        : html(response, 400, errorPage(checked));
    }
    if (path === '/authorize' && method === 'POST') return authorizePost(request, response);
    if (path === '/token' && method === 'POST') return token(request, response);
    if (path === '/logout' && method === 'GET') return logout(request, response, url.searchParams);
    return json(response, 404, { error: 'not_found' });
  };
}

function errorPage(error: { id: string; en: string }): string {
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Permintaan masuk tidak sah</title></head><body><main><h1>Permintaan masuk tidak sah</h1><p role="alert">${escapeHtml(error.id)}<br><span lang="en">${escapeHtml(error.en)}</span></p></main></body></html>`;
}
