import { type AnyRoute, type RouteResult, route } from '#http/api';
import {
  cycleParamsSchema,
  historyParamsSchema,
  historyQuerySchema,
  rankingsQuerySchema,
  regionParamsSchema,
  regionQuerySchema,
  summaryQuerySchema,
} from '#http/openapi-results';
import { regionAdvice } from './advice';
import type { ResultsDeps } from './deps';
import { EXPORT_TYPES, exportFileName, rankingCsv, rankingXlsx, rowsTag } from './export';
import { regionHistory } from './history';
import { rankingPage, rankingRows } from './rankings';
import { regionDetail } from './region';
import { resultsSummary } from './summary';

/** Published results may be cached (and revalidated with the ETag); others never are. */
export const PUBLISHED_MAX_AGE_SECONDS = 60;

function cached(body: unknown, published: boolean): RouteResult {
  return published
    ? { body, cache: { maxAgeSeconds: PUBLISHED_MAX_AGE_SECONDS } }
    : { body, headers: { 'cache-control': 'no-store' } };
}

/** Exports carry an ETag of their rows (an XLSX zip differs byte-wise at every build). */
function conditional(ifNoneMatch: string | undefined, etag: string): boolean {
  return Boolean(ifNoneMatch?.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}`));
}

/** The routes api-results serves (infra/constructs/api.ts maps them to this function). */
export function resultsRoutes(deps: ResultsDeps): Record<string, AnyRoute> {
  return {
    'GET /cycles/{cycleId}/rankings': route({
      params: cycleParamsSchema,
      query: rankingsQuerySchema,
      async run({ params, query, caller, event }) {
        const data = await rankingRows(deps, caller, params.cycleId, query);
        if (query.format === 'json')
          return cached(rankingPage(data, query, deps.now()), data.resolved.published);
        const format = query.format;
        const rows = data.items();
        const headers: Record<string, string> = {};
        if (data.resolved.published) {
          const etag = rowsTag(data, rows, format);
          headers.etag = etag;
          headers['cache-control'] = `private, max-age=${PUBLISHED_MAX_AGE_SECONDS}`;
          if (conditional(event.headers?.['if-none-match'], etag)) return { status: 304, headers };
        } else headers['cache-control'] = 'no-store';
        const body = format === 'csv' ? rankingCsv(rows) : await rankingXlsx(data, rows, query);
        return {
          headers,
          raw: {
            body,
            contentType: EXPORT_TYPES[format],
            fileName: exportFileName(params.cycleId, query, format),
          },
        };
      },
    }),
    'GET /cycles/{cycleId}/regions/{kode}': route({
      params: regionParamsSchema,
      query: regionQuerySchema,
      async run({ params, query, caller }) {
        const out = await regionDetail(deps, caller, params.cycleId, params.kode, query.run);
        return cached(out.body, out.published);
      },
    }),
    'GET /cycles/{cycleId}/regions/{kode}/advice': route({
      params: regionParamsSchema,
      query: regionQuerySchema,
      async run({ params, query, caller }) {
        const out = await regionAdvice(deps, caller, params.cycleId, params.kode, query.run);
        return cached(out.body, out.published);
      },
    }),
    'GET /cycles/{cycleId}/summary': route({
      params: cycleParamsSchema,
      query: summaryQuerySchema,
      async run({ params, query, caller }) {
        const out = await resultsSummary(deps, caller, params.cycleId, query.run);
        return cached(out.body, out.published);
      },
    }),
    'GET /regions/{kode}/history': route({
      params: historyParamsSchema,
      query: historyQuerySchema,
      async run({ params, query, caller }) {
        const out = await regionHistory(deps, caller, params.kode, query.index);
        return cached(out.body, out.published);
      },
    }),
  };
}
