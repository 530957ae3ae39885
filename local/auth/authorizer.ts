import { createLocalJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { now as productNow } from '#adapters/clock';
import type { JwtAuthorizerSpec } from '../template/model';
import type { SigningKey } from './keys';

export type Authorization =
  | { ok: true; claims: Record<string, string>; scopes: string[] | null }
  | { ok: false; status: 401 | 403; reason: string };

/**
 * API Gateway hands claims to the integration as strings: numbers and booleans printed, arrays
 * as `[a b]` (bracketed, space-separated), nested objects likewise flattened. Handlers must parse
 * `cognito:groups` from that form in AWS, so they get exactly that form locally too.
 */
export function stringifyClaim(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(stringifyClaim).join(' ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `map[${Object.keys(value)
      .sort()
      .map((k) => `${k}:${stringifyClaim(Reflect.get(value, k))}`)
      .join(' ')}]`;
  }
  return String(value);
}

function headerValue(
  headers: Record<string, string | string[] | undefined>,
  source: string,
): string | undefined {
  const name = /^\$request\.header\.(.+)$/.exec(source)?.[1]?.toLowerCase();
  if (!name) return undefined;
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The HTTP API JWT authorizer: token from the identity source (optionally `Bearer `-prefixed),
 * signature against the issuer's keys, `iss`, `exp`/`nbf`, and `aud` or `client_id` among the
 * configured audiences; route scopes against the token's `scope`.
 */
export async function authorize(
  authorizer: JwtAuthorizerSpec,
  routeScopes: readonly string[],
  headers: Record<string, string | string[] | undefined>,
  key: SigningKey,
  /** `exp`/`nbf` are judged on the product's clock: tokens are minted on the moved local clock. */
  now: Date = productNow(),
): Promise<Authorization> {
  const raw = authorizer.identitySource
    .map((s) => headerValue(headers, s))
    .find((v) => v !== undefined && v !== '');
  if (!raw) return { ok: false, status: 401, reason: 'missing token' };
  const token = raw.replace(/^Bearer\s+/i, '').trim();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, createLocalJWKSet({ keys: [key.publicJwk] }), {
      issuer: authorizer.issuer,
      algorithms: ['RS256'],
      currentDate: now,
    }));
  } catch (error) {
    const reason = error instanceof errors.JWTExpired ? 'the token has expired' : 'invalid token';
    return { ok: false, status: 401, reason };
  }
  const audiences = Array.isArray(payload.aud) ? payload.aud : payload.aud ? [payload.aud] : [];
  const clientId = typeof payload.client_id === 'string' ? payload.client_id : undefined;
  const audienceOk =
    authorizer.audience.length === 0 ||
    audiences.some((a) => authorizer.audience.includes(a)) ||
    (clientId !== undefined && authorizer.audience.includes(clientId));
  if (!audienceOk) return { ok: false, status: 401, reason: 'invalid audience' };
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : null;
  if (routeScopes.length > 0 && !routeScopes.some((s) => scopes?.includes(s))) {
    return { ok: false, status: 403, reason: 'insufficient scope' };
  }
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) claims[name] = stringifyClaim(value);
  return { ok: true, claims, scopes };
}
