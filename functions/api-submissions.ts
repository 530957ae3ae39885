import { requiredEnv, s3Client } from '#adapters/aws-clients';
import { now } from '#adapters/clock';
import { type Presign, presignGet, readDocument } from '#adapters/documents';
import type { Repositories } from '#adapters/dynamo/index';
import type { ObjectStore } from '#adapters/object-store';
import { isComplete } from '#domain/completeness';
import { findRegion, regionsOfProvince } from '#domain/regions';
import { httpApi, route } from '#http/api';
import { assertCanSeeRegion, assertRole } from '#http/auth';
import { notFound } from '#http/errors';
import {
  cycleParams,
  notAdmittedQuery,
  pageQuery,
  provinceParams,
  regionParams,
  submissionParams,
} from './lib/submissions/api-contract';
import type { ValidationReport } from './lib/submissions/report';
import type { ScoreCardDocument } from './lib/submissions/score-card';
import {
  completenessRow,
  countByStatus,
  evidenceView,
  needsLink,
  notAdmittedView,
  submissionDetail,
  submissionView,
} from './lib/submissions/views';
import { ports, repositoriesFromEnv, uploadStoreFromEnv } from './lib/wiring';

export interface ApiSubmissionsDeps {
  repos: Pick<Repositories, 'cycles' | 'submissions' | 'regionStatus' | 'scoreCards' | 'evidence'>;
  objects: ObjectStore;
  presign: Presign;
  /** The product's clock: an upload is stalled by its time, not the server's. */
  now: () => Date;
}

/** Reports and traces are answered inline up to this size; beyond it, a presigned URL. */
const MAX_INLINE_BYTES = 2 * 1024 * 1024;

/**
 * Submissions of a region (status, history, problem counts, newest first) and one submission in
 * full (problems from its report, provisional score card with trace); the province completeness
 * view. Operators see their own region only (another region is 404); assessors, leadership and
 * admins see all; a province's operator also sees its province's completeness.
 */
export function createApiSubmissions(given: Partial<ApiSubmissionsDeps> = {}) {
  const deps = ports<ApiSubmissionsDeps>(given, {
    repos: repositoriesFromEnv,
    objects: uploadStoreFromEnv,
    presign: () => presignGet(s3Client(), requiredEnv('UPLOAD_BUCKET')),
    now: () => now,
  });

  const regionAndCycle = async (
    caller: Parameters<typeof assertCanSeeRegion>[0],
    c: string,
    kode: string,
  ) => {
    assertCanSeeRegion(caller, kode);
    const region = findRegion(kode);
    if (!region) throw notFound(`Wilayah ${kode}`, `Region ${kode}`);
    const cycle = await deps().repos.cycles.get(c);
    if (!cycle) throw notFound(`Siklus ${c}`, `Cycle ${c}`);
    return { region, cycle };
  };

  return httpApi({
    'GET /cycles/{cycleId}/submissions/not-admitted': route({
      params: cycleParams,
      query: notAdmittedQuery,
      run: async ({ params, query, caller }) => {
        assertRole(caller, 'admin');
        const { repos } = deps();
        if (!(await repos.cycles.get(params.cycleId)))
          throw notFound(`Siklus ${params.cycleId}`, `Cycle ${params.cycleId}`);
        const page = await repos.submissions.listNotAdmitted(params.cycleId, query.status, query);
        return {
          body: {
            cycleId: params.cycleId,
            status: query.status,
            items: page.items.map(notAdmittedView),
            ...(page.cursor ? { cursor: page.cursor } : {}),
          },
          cache: { maxAgeSeconds: 0 },
        };
      },
    }),
    'GET /cycles/{cycleId}/regions/{kode}/submissions': route({
      params: regionParams,
      query: pageQuery,
      run: async ({ params, query, caller }) => {
        const { repos } = deps();
        const { region } = await regionAndCycle(caller, params.cycleId, params.kode);
        const [list, pointers, evidence] = await Promise.all([
          repos.submissions.listForRegion(params.cycleId, params.kode, query),
          repos.regionStatus.get(params.cycleId, params.kode),
          query.cursor ? undefined : repos.evidence.listForRegion(params.cycleId, params.kode),
        ]);
        return {
          body: {
            cycleId: params.cycleId,
            region: { kode: region.kode, nama: region.nama },
            items: list.items.map((s) => submissionView(s, pointers)),
            ...(list.cursor ? { cursor: list.cursor } : {}),
            ...(evidence ? { evidence: evidenceView(evidence) } : {}),
          },
          cache: { maxAgeSeconds: 0 },
        };
      },
    }),

    'GET /cycles/{cycleId}/regions/{kode}/submissions/{submissionId}': route({
      params: submissionParams,
      run: async ({ params, caller }) => {
        const { repos, objects, presign } = deps();
        const { cycle } = await regionAndCycle(caller, params.cycleId, params.kode);
        const submission = await repos.submissions.get(params);
        if (!submission)
          throw notFound(`Pengajuan ${params.submissionId}`, `Submission ${params.submissionId}`);
        const [pointers, card] = await Promise.all([
          repos.regionStatus.get(params.cycleId, params.kode),
          repos.scoreCards.get(params.cycleId, params.kode, params.submissionId),
        ]);
        const reportKey = submission.validation?.reportKey;
        const report = reportKey
          ? await readDocument<ValidationReport>(objects, reportKey, MAX_INLINE_BYTES)
          : undefined;
        const trace = card
          ? await readDocument<ScoreCardDocument>(objects, card.traceKey, MAX_INLINE_BYTES)
          : undefined;
        const links = {
          ...(reportKey && needsLink(report) ? { reportUrl: await presign(reportKey) } : {}),
          ...(card && needsLink(trace) ? { traceUrl: await presign(card.traceKey) } : {}),
        };
        return {
          body: submissionDetail({ submission, pointers, cycle, card, report, trace, links }),
          cache: { maxAgeSeconds: 0 },
        };
      },
    }),

    'GET /cycles/{cycleId}/provinces/{kode}/completeness': route({
      params: provinceParams,
      run: async ({ params, caller }) => {
        const { region: province } = await regionAndCycle(caller, params.cycleId, params.kode);
        if (province.jenis !== 'provinsi')
          throw notFound(`Provinsi ${params.kode}`, `Province ${params.kode}`);
        const records = await deps().repos.regionStatus.listForProvince(params.cycleId, params.kode);
        const byCode = new Map(records.map((r) => [r.kode, r]));
        const at = deps().now();
        const regions = regionsOfProvince(params.kode).map((r) => completenessRow(r, byCode.get(r.kode), at));
        const own = completenessRow(province, byCode.get(province.kode), at);
        return {
          body: {
            cycleId: params.cycleId,
            provinsi: own,
            summary: {
              regions: regions.length,
              complete: regions.filter((r) => isComplete(r.status)).length,
              byStatus: countByStatus(regions),
            },
            regions,
          },
          cache: { maxAgeSeconds: 0 },
        };
      },
    }),
  });
}

export const handler = createApiSubmissions();
