import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { DomainError, forbidden, notFound } from './errors';

export const ROLES = ['operator', 'assessor', 'leadership', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Caller {
  subject: string;
  roles: ReadonlySet<Role>;
  /** The one region an operator acts for (claim `custom:region`). */
  region?: string;
  /** An assessor's home province (claim `custom:province`): never verifies a region there. */
  province?: string;
}

/**
 * Reads the caller from the JWT authorizer's claims. API Gateway hands array claims over as one
 * string (`[operator admin]`), so groups are parsed from any of the forms it uses.
 */
export function callerOf(event: Pick<APIGatewayProxyEventV2WithJWTAuthorizer, 'requestContext'>): Caller {
  const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  if (!subject)
    throw new DomainError(
      'unauthenticated',
      'UNAUTHENTICATED',
      'Token tidak sah atau tidak ada.',
      'Missing or invalid token.',
    );
  const roles = new Set<Role>(
    parseGroups(claims['cognito:groups']).filter((g): g is Role => (ROLES as readonly string[]).includes(g)),
  );
  const region = claims['custom:region'];
  const province = claims['custom:province'];
  return {
    subject,
    roles,
    ...(typeof region === 'string' && region ? { region } : {}),
    ...(typeof province === 'string' && province ? { province } : {}),
  };
}

export function parseGroups(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  const text = value.trim();
  if (text.startsWith('[') && text.endsWith(']')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // `[a b]` or `[a, b]`: API Gateway's rendering, not JSON.
    }
    return text
      .slice(1, -1)
      .split(/[\s,]+/)
      .filter(Boolean);
  }
  return text.split(/[\s,]+/).filter(Boolean);
}

export const hasRole = (caller: Caller, ...roles: Role[]): boolean => roles.some((r) => caller.roles.has(r));

/** Ministry roles see every region; an operator only its own. */
export const canSeeRegion = (caller: Caller, kode: string): boolean =>
  hasRole(caller, 'admin', 'assessor', 'leadership') ||
  (caller.roles.has('operator') && caller.region === kode);

/** Another region's data answers 404, not 403: an operator learns nothing about what exists elsewhere. */
export function assertCanSeeRegion(caller: Caller, kode: string): void {
  if (!canSeeRegion(caller, kode)) throw notFound(`Data wilayah ${kode}`, `Data of region ${kode}`);
}

/** Uploading for a region: its operator, or an admin acting for it. */
export function assertCanActForRegion(caller: Caller, kode: string): void {
  if (hasRole(caller, 'admin')) return;
  if (caller.roles.has('operator') && caller.region === kode) return;
  throw forbidden(
    `Akun Anda tidak berwenang mengunggah untuk wilayah ${kode}. Operator hanya dapat mengunggah untuk wilayahnya sendiri.`,
    `Your account may not upload for region ${kode}. An operator uploads only for its own region.`,
  );
}

export function assertRole(caller: Caller, ...roles: Role[]): void {
  if (!hasRole(caller, ...roles))
    throw forbidden(
      `Tindakan ini hanya untuk peran: ${roles.join(', ')}.`,
      `This action is only for the roles: ${roles.join(', ')}.`,
    );
}
