import type { IncomingMessage } from 'node:http';
import { S3Error } from './errors';
import type { CorsRule } from './store';

/** `*` in a CORS rule value matches any run of characters (one wildcard per value, as S3 allows). */
function wildcard(pattern: string, value: string, caseless = false): boolean {
  const [p, v] = caseless ? [pattern.toLowerCase(), value.toLowerCase()] : [pattern, value];
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  return v.length >= p.length - 1 && v.startsWith(p.slice(0, star)) && v.endsWith(p.slice(star + 1));
}

export function findCorsRule(
  rules: readonly CorsRule[],
  origin: string,
  method: string,
  requestHeaders: readonly string[] = [],
): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.AllowedOrigins.some((o) => wildcard(o, origin)) &&
      rule.AllowedMethods.includes(method.toUpperCase()) &&
      requestHeaders.every((h) => rule.AllowedHeaders.some((allowed) => wildcard(allowed, h, true))),
  );
}

/** Answers a CORS preflight from the bucket's rules, or refuses it as S3 does (403). */
export function preflight(rules: readonly CorsRule[], request: IncomingMessage): Record<string, string> {
  const origin = request.headers.origin;
  const method = request.headers['access-control-request-method'];
  if (!origin || !method)
    throw new S3Error(400, 'BadRequest', 'Insufficient information. Origin request header needed.');
  const asked = String(request.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const rule = findCorsRule(rules, origin, method, asked);
  if (!rule)
    throw new S3Error(
      403,
      'AccessForbidden',
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
    );
  return {
    'access-control-allow-origin': rule.AllowedOrigins.includes('*') ? '*' : origin,
    'access-control-allow-methods': rule.AllowedMethods.join(', '),
    ...(asked.length ? { 'access-control-allow-headers': asked.join(', ') } : {}),
    ...(rule.ExposeHeaders.length ? { 'access-control-expose-headers': rule.ExposeHeaders.join(', ') } : {}),
    ...(rule.MaxAgeSeconds !== undefined ? { 'access-control-max-age': String(rule.MaxAgeSeconds) } : {}),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
}
