import type { ApiTarget } from '#cli/api-client';
import type { Runtime } from '#local/runtime';
import type { DevelopmentUser } from './sign-in';

/**
 * Calling the local runtime's HTTP API as one person: the API target with a development token
 * (role, region, province; `ttlSeconds` for a journey whose clock moves days ahead).
 */
export async function apiAs(
  runtime: Runtime,
  user: DevelopmentUser & { ttlSeconds?: number },
): Promise<ApiTarget> {
  return { baseUrl: runtime.urls.api, token: await runtime.mintToken(user) };
}

/** Like the CLI's client, but a refusal is an answer to check, not an exception (and no retries). */
export async function answerOf<T = unknown>(target: ApiTarget, method: string, path: string, body?: unknown) {
  const res = await fetch(`${target.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${target.token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** The `sub` of the person a target's token speaks for (as the API records them). */
export const subOf = (target: ApiTarget): string =>
  JSON.parse(Buffer.from((target.token ?? '').split('.')[1] ?? '', 'base64url').toString('utf8')).sub;
