import { now } from '#adapters/clock';
import { logger } from '#adapters/observability';
import { EMPTY_HEAD, toJsonl } from '#domain/ledger/index';
import { getMethodology, methodologyIds } from '#domain/methodology/registry';
import { findRegion } from '#domain/regions';
import { httpApi, type RouteResult, route } from '#http/api';
import { assertCanSeeRegion, assertRole, type Caller, hasRole } from '#http/auth';
import { badRequest, notFound } from '#http/errors';
import { openApiDocument } from '#http/openapi';
import { BUNDLE_OPERATIONS } from '#http/openapi-bundle';
import { RESULTS_OPERATIONS } from '#http/openapi-results';
import {
  CYCLES_OPERATIONS,
  calendarChangeBody,
  createCycleBody,
  cycleParams,
  ledgerQuery,
  listQuery,
  rerunBody,
  runParams,
  templateQuery,
} from './lib/cycles/contract';
import { cycleNotFound } from './lib/cycles/errors';
import { cycleSchedulesFromEnv, nationalStarterFromEnv } from './lib/cycles/runtime';
import * as cycles from './lib/cycles/service';
import { cycleDetail, cycleSummary, runView } from './lib/cycles/views';
import { SUBMISSIONS_OPERATIONS } from './lib/submissions/api-contract';
import { SURVEY_OPERATIONS } from './lib/survey/contract';
import { VERIFICATION_OPERATIONS } from './lib/verification/contract';
import { ledgerExportFromEnv, ledgerFromEnv, once, ports, repositoriesFromEnv } from './lib/wiring';

// Schedules and the starter are built on first use: most routes need neither (see lib/wiring.ts).
const deps = ports<cycles.CyclesDeps>(
  {},
  {
    repos: repositoriesFromEnv,
    schedules: () => once(cycleSchedulesFromEnv),
    starter: () => once(nationalStarterFromEnv),
    methodologyOf: () => getMethodology,
    methodologyIds: () => methodologyIds,
    now: () => now,
    warn: () => (message, details) => logger().warn(message, details),
    ledger: ledgerFromEnv,
    exportLedger: ledgerExportFromEnv,
  },
);

const ANY_ROLE = ['operator', 'assessor', 'leadership', 'admin'] as const;
const ministry = (caller: Caller) => hasRole(caller, 'admin', 'assessor', 'leadership');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const changed = async (status: number, change: cycles.CycleChange): Promise<RouteResult> => ({
  status,
  body: {
    cycle: cycleDetail(change.cycle, await cycles.listRuns(change.cycle.cycleId, deps()), deps().now(), true),
    ...(change.schedules ? { schedules: change.schedules } : {}),
    ...(change.scheduleWarning ? { scheduleWarning: change.scheduleWarning } : {}),
  },
});

const openApi = once(() =>
  openApiDocument(
    {
      title: 'Indeks API',
      version: '1',
      description:
        'Penilaian indeks pemerintah daerah (IKKD, IID, IPKD) / regional government index assessments.',
    },
    [
      ...CYCLES_OPERATIONS,
      ...SUBMISSIONS_OPERATIONS,
      ...RESULTS_OPERATIONS,
      ...BUNDLE_OPERATIONS,
      ...SURVEY_OPERATIONS,
      ...VERIFICATION_OPERATIONS,
    ],
  ),
);

/** API: cycles, calendars, national re-runs, FINAL publication, templates, health, OpenAPI. */
export const handler = httpApi({
  'GET /cycles': route({
    query: listQuery,
    run: async ({ query, caller }) => {
      assertRole(caller, ...ANY_ROLE);
      const page = await deps().repos.cycles.list(query);
      const now = deps().now();
      return {
        body: {
          items: page.items.map((c) => cycleSummary(c, now)),
          ...(page.cursor ? { cursor: page.cursor } : {}),
        },
        cache: { maxAgeSeconds: 0 },
      };
    },
  }),

  'POST /cycles': route({
    body: createCycleBody,
    run: async ({ body, caller }) => {
      assertRole(caller, 'admin');
      return changed(201, await cycles.createCycle(body, caller.subject, deps()));
    },
  }),

  'GET /cycles/{cycleId}': route({
    params: cycleParams,
    run: async ({ params, caller }) => {
      assertRole(caller, ...ANY_ROLE);
      const cycle = await cycles.getCycle(params.cycleId, deps());
      const runs = await cycles.listRuns(params.cycleId, deps());
      return {
        body: cycleDetail(cycle, runs, deps().now(), ministry(caller)),
        cache: { maxAgeSeconds: 0 },
      };
    },
  }),

  'PUT /cycles/{cycleId}/calendar': route({
    params: cycleParams,
    body: calendarChangeBody,
    run: async ({ params, body, caller }) => {
      assertRole(caller, 'admin');
      return changed(200, await cycles.changeCalendar(params.cycleId, body, caller.subject, deps()));
    },
  }),

  'POST /cycles/{cycleId}/runs': route({
    params: cycleParams,
    body: rerunBody,
    run: async ({ params, body, caller }) => {
      assertRole(caller, 'admin');
      const started = await cycles.rerun(params.cycleId, { by: caller.subject, reason: body.reason }, deps());
      return { status: 202, body: started };
    },
  }),

  'POST /cycles/{cycleId}/runs/{runId}/publish': route({
    params: runParams,
    run: async ({ params, caller }) => {
      assertRole(caller, 'admin');
      const out = await cycles.publishFinal(params.cycleId, params.runId, caller.subject, deps());
      const runs = await cycles.listRuns(params.cycleId, deps());
      return {
        body: {
          cycle: cycleDetail(out.cycle, runs, deps().now(), true),
          run: runView(out.run),
          historyRecorded: out.historyRecorded,
        },
      };
    },
  }),

  'GET /cycles/{cycleId}/ledger': route({
    params: cycleParams,
    query: ledgerQuery,
    run: async ({ params, query, caller }) => {
      assertRole(caller, 'admin', 'leadership');
      await cycles.getCycle(params.cycleId, deps());
      // As stored, not judged: the verifier (indeks ledger verify) recomputes the chain.
      const entries = await deps().repos.ledger.list(params.cycleId);
      const last = entries.at(-1);
      if (query.format === 'jsonl')
        return {
          raw: {
            body: toJsonl(entries),
            contentType: 'application/x-ndjson; charset=utf-8',
            fileName: `ledger-${params.cycleId}.jsonl`,
          },
        };
      return {
        body: {
          cycleId: params.cycleId,
          count: entries.length,
          head: last ? { seq: last.seq, hash: last.hash } : EMPTY_HEAD,
          entries,
        },
        cache: { maxAgeSeconds: 0 },
      };
    },
  }),

  'GET /cycles/{cycleId}/template': route({
    params: cycleParams,
    query: templateQuery,
    run: async ({ params, query, caller }) => {
      assertRole(caller, ...ANY_ROLE);
      const kode = query.region ?? caller.region;
      if (!kode)
        throw badRequest(
          'REGION_REQUIRED',
          'Sebutkan wilayah: ?region=kode (mis. 18.01).',
          'Name the region: ?region=code (e.g. 18.01).',
        );
      assertCanSeeRegion(caller, kode);
      const region = findRegion(kode);
      if (!region) throw notFound(`Wilayah ${kode}`, `Region ${kode}`);
      const cycle = await deps().repos.cycles.get(params.cycleId);
      if (!cycle) throw cycleNotFound(params.cycleId);
      const methodology = cycles.methodologyOfCycle(cycle, deps());
      // exceljs is loaded on the first template only: /health and the cycle routes stay light.
      const { buildTemplate } = await import('#intake/xlsx/template');
      const bytes = await buildTemplate(methodology, { kode: region.kode, nama: region.nama });
      return {
        raw: { body: bytes, contentType: XLSX, fileName: `templat-${cycle.cycleId}-${region.kode}.xlsx` },
      };
    },
  }),

  'GET /health': route({
    public: true,
    run: async () => ({
      body: {
        status: 'ok',
        service: 'indeks',
        time: now().toISOString(),
        methodologies: methodologyIds(),
      },
    }),
  }),

  'GET /openapi.json': route({
    public: true,
    run: async () => ({ body: openApi(), cache: { maxAgeSeconds: 300 } }),
  }),
});
