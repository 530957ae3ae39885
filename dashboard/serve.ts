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

export interface DashboardOptions {
  /** URL prefix, without a trailing slash (default `/dashboard`); `''` serves at the root. */
  prefix?: string;
  /** Base URL of the HTTP API the page calls; default `''` (same origin). */
  apiBase?: string;
  /** Redirect `/` to the prefix (default true when the prefix is not empty). */
  redirectRoot?: boolean;
}

/** Answers the request when it is the dashboard's (true), or leaves it to the caller (false). */
export type DashboardHandler = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

const HERE = dirname(fileURLToPath(import.meta.url));

/** Chart.js's browser build; its `exports` hide `dist/`, so the path is joined to the package. */
export function chartJsPath(): string {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return join(dirname(main), 'chart.umd.min.js');
}

/** The files of the dashboard: URL path (under the prefix) → file on disk and content type. */
export function dashboardFiles(): Record<string, { file: string; type: string }> {
  return {
    '/': { file: join(HERE, 'index.html'), type: 'text/html; charset=utf-8' },
    '/index.html': { file: join(HERE, 'index.html'), type: 'text/html; charset=utf-8' },
    '/app.js': { file: join(HERE, 'app.js'), type: 'text/javascript; charset=utf-8' },
    '/style.css': { file: join(HERE, 'style.css'), type: 'text/css; charset=utf-8' },
    '/vendor/chart.umd.min.js': { file: chartJsPath(), type: 'text/javascript; charset=utf-8' },
    // The public IKKD survey form (issue 14): deployed with the dashboard, no account needed.
    '/survey/': { file: join(HERE, 'survey', 'index.html'), type: 'text/html; charset=utf-8' },
    '/survey/index.html': { file: join(HERE, 'survey', 'index.html'), type: 'text/html; charset=utf-8' },
    '/survey/form.js': { file: join(HERE, 'survey', 'form.js'), type: 'text/javascript; charset=utf-8' },
    '/survey/form.css': { file: join(HERE, 'survey', 'form.css'), type: 'text/css; charset=utf-8' },
  };
}

/** The same security headers CloudFront adds in the deployed dashboard (infra/constructs/dashboard.ts). */
export function securityHeaders(apiBase: string): Record<string, string> {
  const api = apiBase ? ` ${new URL(apiBase).origin}` : '';
  return {
    'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'${api}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // Dev tokens may arrive in `?token=`: never send the URL to another site.
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  };
}

export function createDashboardHandler(options: DashboardOptions = {}): DashboardHandler {
  const prefix = (options.prefix ?? '/dashboard').replace(/\/+$/, '');
  const apiBase = options.apiBase ?? '';
  const redirectRoot = options.redirectRoot ?? prefix !== '';
  const files = dashboardFiles();
  const headers = securityHeaders(apiBase);
  const config = JSON.stringify({ apiBase });
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
