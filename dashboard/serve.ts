/**
 * Serves the static dashboard from this folder (and Chart.js straight from node_modules, so no
 * vendored copy is committed). The local runtime mounts it next to the HTTP API:
 *
 *   const dashboard = createDashboardHandler();            // at /dashboard/, `/` redirects there
 *   if (await dashboard(request, response)) return;       // before matching API routes
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REASON_CODES, REASONS } from '#domain/verification/reasons';

export interface DashboardOptions {
  /** URL prefix, without a trailing slash (default `/dashboard`); `''` serves at the root. */
  prefix?: string;
  /** Base URL of the HTTP API the page calls; default `''` (same origin). */
  apiBase?: string;
  /** Redirect `/` to the prefix (default true when the prefix is not empty). */
  redirectRoot?: boolean;
  /** Where people sign in (written into config.json); without it the page cannot sign in. */
  oidc?: OidcSettings;
  /** Origin of the upload bucket's presigned POSTs (an objection's new evidence), allowed in `connect-src`. */
  uploadOrigin?: string;
}

/**
 * The page's OpenID Connect settings. Locally the authority is the local issuer (`/_local/oidc`,
 * relative: resolved against the page); deployed it is the Cognito user pool's issuer.
 */
export interface OidcSettings {
  authority: string;
  clientId: string;
  /** Default: the page's own address (without query or fragment). Deployed: the CloudFront URL. */
  redirectUri?: string;
  /** Cognito's discovery document has no end_session_endpoint: its hosted UI `/logout`. */
  endSessionEndpoint?: string;
  scope?: string;
}

/** What the page reads at start: the API base, the sign-in settings, the decision reason catalogue. */
export interface DashboardConfig {
  apiBase: string;
  oidc: OidcSettings | null;
  /** The closed catalogue of verification reasons (shared/domain), so the page never copies it. */
  reasons: { code: string; id: string; en: string; innovationOnly: boolean; noteRequired: boolean }[];
}

export function dashboardConfig(apiBase: string, oidc?: OidcSettings): DashboardConfig {
  return {
    apiBase: apiBase.replace(/\/+$/, ''),
    oidc: oidc ?? null,
    reasons: REASON_CODES.map((code) => ({ code, ...REASONS[code] })),
  };
}

/** Answers the request when it is the dashboard's (true), or leaves it to the caller (false). */
export type DashboardHandler = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

const HERE = dirname(fileURLToPath(import.meta.url));

/** Chart.js's browser build; its `exports` hide `dist/`, so the path is joined to the package. */
export function chartJsPath(): string {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return join(dirname(main), 'chart.umd.min.js');
}

/** oidc-client-ts's browser build (global `oidc`), next to its CommonJS entry's `dist/`. */
export function oidcClientPath(): string {
  const main = createRequire(import.meta.url).resolve('oidc-client-ts');
  return join(dirname(main), '..', 'browser', 'oidc-client-ts.min.js');
}

/** The files of the dashboard: URL path (under the prefix) → file on disk and content type. */
export function dashboardFiles(): Record<string, { file: string; type: string }> {
  return {
    '/': { file: join(HERE, 'index.html'), type: 'text/html; charset=utf-8' },
    '/index.html': { file: join(HERE, 'index.html'), type: 'text/html; charset=utf-8' },
    '/app.js': { file: join(HERE, 'app.js'), type: 'text/javascript; charset=utf-8' },
    '/signin.js': { file: join(HERE, 'signin.js'), type: 'text/javascript; charset=utf-8' },
    '/verification.js': { file: join(HERE, 'verification.js'), type: 'text/javascript; charset=utf-8' },
    '/style.css': { file: join(HERE, 'style.css'), type: 'text/css; charset=utf-8' },
    '/vendor/chart.umd.min.js': { file: chartJsPath(), type: 'text/javascript; charset=utf-8' },
    '/vendor/oidc-client-ts.min.js': { file: oidcClientPath(), type: 'text/javascript; charset=utf-8' },
    // The public IKKD survey form (issue 14): deployed with the dashboard, no account needed.
    '/survey/': { file: join(HERE, 'survey', 'index.html'), type: 'text/html; charset=utf-8' },
    '/survey/index.html': { file: join(HERE, 'survey', 'index.html'), type: 'text/html; charset=utf-8' },
    '/survey/form.js': { file: join(HERE, 'survey', 'form.js'), type: 'text/javascript; charset=utf-8' },
    '/survey/form.css': { file: join(HERE, 'survey', 'form.css'), type: 'text/css; charset=utf-8' },
  };
}

/** The same security headers CloudFront adds in the deployed dashboard (infra/constructs/dashboard.ts). */
export function securityHeaders(apiBase: string, ...more: (string | undefined)[]): Record<string, string> {
  const origins = [apiBase, ...more]
    .filter((u): u is string => u !== undefined && /^https?:\/\//.test(u))
    .map((u) => ` ${new URL(u).origin}`)
    .join('');
  return {
    'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'${origins}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // The sign-in answer (`?code=…&state=…`) is in the URL until the page exchanges it: never send it elsewhere.
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  };
}

export function createDashboardHandler(options: DashboardOptions = {}): DashboardHandler {
  const prefix = (options.prefix ?? '/dashboard').replace(/\/+$/, '');
  const apiBase = options.apiBase ?? '';
  const redirectRoot = options.redirectRoot ?? prefix !== '';
  const files = dashboardFiles();
  const headers = securityHeaders(apiBase, options.oidc?.authority, options.uploadOrigin);
  const config = JSON.stringify(dashboardConfig(apiBase, options.oidc));
  const cache = new Map<string, Buffer>();

  return async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://local');
    const path = url.pathname;
    const method = request.method ?? 'GET';
    const redirect = (to: string) => {
      response.writeHead(302, { location: `${to}${url.search}`, 'content-length': 0 });
      response.end();
      return true;
    };
    if (redirectRoot && path === '/') return redirect(`${prefix}/`);
    if (prefix && path === prefix) return redirect(`${prefix}/`);
    if (prefix && !path.startsWith(`${prefix}/`)) return false;
    const local = prefix ? path.slice(prefix.length) : path;
    const file = files[local];
    const isConfig = local === '/config.json';
    if (!file && !isConfig) {
      // At the root, only the dashboard's own files are claimed; everything else is the API's.
      if (!prefix) return false;
      const text = 'Tidak ditemukan / Not found';
      response.writeHead(404, {
        ...headers,
        'content-type': 'text/plain; charset=utf-8',
        'content-length': Buffer.byteLength(text),
      });
      response.end(text);
      return true;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      response.writeHead(405, { ...headers, allow: 'GET, HEAD', 'content-length': 0 });
      response.end();
      return true;
    }
    let body: Buffer;
    let type: string;
    if (isConfig || !file) {
      body = Buffer.from(config);
      type = 'application/json; charset=utf-8';
    } else {
      const hit = cache.get(file.file);
      body = hit ?? (await readFile(file.file));
      // The vendor file never changes while the process runs; the page's own files are re-read (live edits).
      if (!hit && local.startsWith('/vendor/')) cache.set(file.file, body);
      type = file.type;
    }
    response.writeHead(200, { ...headers, 'content-type': type, 'content-length': body.length });
    response.end(method === 'HEAD' ? undefined : body);
    return true;
  };
}
