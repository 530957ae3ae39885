import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { DomainError } from '#domain/errors';
import { type ApiEvent, httpApi, route } from '#http/api';
import { assertCanSeeRegion, callerOf, canSeeRegion, parseGroups } from '#http/auth';
import { apiEvent } from '../../support/api-event';

const api = httpApi({
  'GET /things/{id}': route({
    params: z.object({ id: z.string().regex(/^\d+$/) }),
    query: z.object({ limit: z.coerce.number().int().max(50).default(10) }),
    run: async ({ params, query, caller }) => ({
      body: { id: params.id, limit: query.limit, roles: [...caller.roles] },
    }),
  }),
  'POST /things': route({
    body: z.object({ name: z.string().min(1) }),
    run: async ({ body }) => ({ status: 201, body }),
  }),
  'GET /boom': route({
    run: async () => {
      throw new Error('secret table name xyz');
    },
  }),
  'GET /teapot': route({
    run: async () => {
      throw new DomainError('conflict', 'CONFLICT', 'Bentrok.', 'Conflict.');
    },
  }),
  'GET /published': route({
    public: true,
    run: async () => ({ body: { a: 1 }, cache: { maxAgeSeconds: 60 } }),
  }),
});
const call = (event: ApiEvent) => api(event, {} as Context);
const json = (body: string | undefined) => JSON.parse(body ?? '{}');

describe('httpApi', () => {
  it('dispatches on the route key with validated params, query and caller', async () => {
    const res = await call(
      apiEvent('GET /things/{id}', {
        params: { id: '42' },
        query: { limit: '5' },
        groups: ['admin', 'assessor'],
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(json(res.body)).toEqual({ id: '42', limit: 5, roles: ['admin', 'assessor'] });
  });

  it('answers 400 problem details naming every bad field, in both languages', async () => {
    const res = await call(
      apiEvent('GET /things/{id}', { params: { id: 'x' }, query: { limit: '500' }, groups: ['admin'] }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.headers?.['content-type']).toContain('application/problem+json');
    const body = json(res.body);
    expect(body.detail_id).toContain('Permintaan tidak sah');
    expect(body.problems.map((p: { location: { path: string } }) => p.location.path)).toEqual([
      'id',
      'limit',
    ]);
  });

  it('refuses a body that is not JSON, and validates JSON bodies', async () => {
    const broken = { ...apiEvent('POST /things', { groups: ['admin'] }), body: '{nope' };
    expect((await call(broken)).statusCode).toBe(400);
    expect((await call(apiEvent('POST /things', { body: { name: '' }, groups: ['admin'] }))).statusCode).toBe(
      400,
    );
    expect(
      (await call(apiEvent('POST /things', { body: { name: 'a' }, groups: ['admin'] }))).statusCode,
    ).toBe(201);
  });

  it('answers 401 without claims, 404 on an unknown route, and 500 without internals', async () => {
    expect((await call(apiEvent('GET /things/{id}', { params: { id: '1' } }))).statusCode).toBe(401);
    expect((await call(apiEvent('GET /nothing', { groups: ['admin'] }))).statusCode).toBe(404);
    const boom = await call(apiEvent('GET /boom', { groups: ['admin'] }));
    expect(boom.statusCode).toBe(500);
    expect(boom.body).not.toContain('secret');
    expect((await call(apiEvent('GET /teapot', { groups: ['admin'] }))).statusCode).toBe(409);
  });

  it('sets ETag and Cache-Control on cacheable results and answers 304 on a match', async () => {
    const first = await call(apiEvent('GET /published'));
    const etag = first.headers?.etag;
    expect(etag).toMatch(/^".+"$/);
    expect(first.headers?.['cache-control']).toBe('private, max-age=60');
    const again = await call(apiEvent('GET /published', { headers: { 'If-None-Match': String(etag) } }));
    expect(again.statusCode).toBe(304);
    expect(again.body).toBeUndefined();
  });
});

describe('callers', () => {
  it('parses groups in every form API Gateway uses', () => {
    expect(parseGroups('[operator admin]')).toEqual(['operator', 'admin']);
    expect(parseGroups('[operator, admin]')).toEqual(['operator', 'admin']);
    expect(parseGroups('["operator","admin"]')).toEqual(['operator', 'admin']);
    expect(parseGroups(['leadership'])).toEqual(['leadership']);
    expect(parseGroups('assessor')).toEqual(['assessor']);
    expect(parseGroups(undefined)).toEqual([]);
  });

  it('binds an operator to its region and hides others behind 404', () => {
    const operator = callerOf(apiEvent('GET /x', { groups: ['operator'], region: '18.01' }));
    expect(canSeeRegion(operator, '18.01')).toBe(true);
    expect(canSeeRegion(operator, '18.02')).toBe(false);
    expect(() => assertCanSeeRegion(operator, '18.02')).toThrow(
      expect.objectContaining({ kind: 'not-found' }),
    );
    const leadership = callerOf(apiEvent('GET /x', { groups: ['leadership'] }));
    expect(canSeeRegion(leadership, '18.02')).toBe(true);
  });
});
