import * as z from 'zod';
import type { ApiOperation } from './openapi';
import { cycleIdSchema, runIdSchema } from './openapi-results';

export const bundleParamsSchema = z.object({ cycleId: cycleIdSchema, runId: runIdSchema });

export const bundleLinkSchema = z
  .object({
    cycleId: z.string(),
    runId: z.string(),
    /** Where the bundle is kept (one per run, never overwritten). */
    key: z.string(),
    bytes: z.number().int(),
    sha256: z.string().describe('sha256 of the zip bytes.'),
    url: z.string().describe('A presigned GET of the zip (valid `expiresIn` seconds).'),
    expiresIn: z.number().int(),
    /** False when the bundle was already built and stored for this run. */
    built: z.boolean(),
  })
  .meta({ id: 'BundleLink' });

export const BUNDLE_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/cycles/{cycleId}/runs/{runId}/bundle',
    operationId: 'getRunBundle',
    tags: ['results'],
    summary: 'Bundel reproduksi / reproducibility bundle of a published run',
    description:
      "One zip with everything needed to recompute a published (FINAL) run offline: the methodology as bound to the cycle, every scored region's submission as the run scored it (self-assessed) and as verified, the decisions, the run's results (JSON, CSV) and ranks, the cycle's ledger up to publication, the package version and git commit, and `manifest.json` with the sha256 of every file (docs/architecture.md, \"Reproducibility bundle\"). Built on the first request, stored under `runs/{cycleId}/{runId}/bundle.zip` and never rebuilt; answered with a presigned GET. Leadership and admin only. `npx indeks reproduce FILE.zip` checks it.",
    params: bundleParamsSchema,
    response: bundleLinkSchema,
    errors: {
      400: 'Permintaan tidak sah / invalid request.',
      401: 'Token tidak ada atau tidak sah / missing or invalid token.',
      403: 'Hanya pimpinan dan admin / leadership and admin only.',
      404: 'Siklus atau penilaian tidak ditemukan / cycle or run not found.',
      409: 'Penilaian belum diterbitkan (FINAL) / the run is not published (FINAL).',
    },
  },
];
