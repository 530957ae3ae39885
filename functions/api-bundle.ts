import { createHash } from 'node:crypto';
import { requiredEnv, s3Client } from '#adapters/aws-clients';
import { runKeys } from '#adapters/bucket-layout';
import { codeInfoFromEnv } from '#adapters/code-version';
import { type Presign, presignGet } from '#adapters/documents';
import type { Repositories } from '#adapters/dynamo/index';
import type { ObjectStore } from '#adapters/object-store';
import { isMissingObject } from '#adapters/transient';
import type { CodeInfo } from '#domain/bundle/index';
import { getMethodology } from '#domain/methodology/registry';
import { httpApi, route } from '#http/api';
import { assertRole } from '#http/auth';
import { conflict, notFound } from '#http/errors';
import { bundleParamsSchema } from '#http/openapi-bundle';
import { type BundleLedger, buildBundle } from './lib/bundle/build';
import { ledgerFromRepositories } from './lib/bundle/ledger';
import { ports, repositoriesFromEnv, uploadStoreFromEnv } from './lib/wiring';

/** How long the bundle's presigned GET is valid. */
export const BUNDLE_LINK_SECONDS = 300;

export interface ApiBundleDeps {
  repos: Pick<Repositories, 'cycles' | 'runs' | 'verification'>;
  objects: Pick<ObjectStore, 'getBytes' | 'head' | 'put'>;
  presign: Presign;
  methodologyOf: (id: string) => ReturnType<typeof getMethodology>;
  ledger: BundleLedger;
  code: CodeInfo;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * GET /cycles/{cycleId}/runs/{runId}/bundle: the reproducibility bundle of a published (FINAL)
 * run, for leadership and admins. Built on the first request from what the run froze and stored
 * under the run's own key (`runs/{c}/{r}/bundle.zip`, never overwritten: a stored bundle is
 * answered as it is), then linked with a presigned GET. Building is deterministic, so two
 * concurrent first requests write the same bytes.
 */
export function createApiBundle(given: Partial<ApiBundleDeps> = {}) {
  const deps = ports<ApiBundleDeps>(given, {
    repos: repositoriesFromEnv,
    objects: uploadStoreFromEnv,
    presign: () => presignGet(s3Client(), requiredEnv('UPLOAD_BUCKET'), BUNDLE_LINK_SECONDS),
    methodologyOf: () => getMethodology,
    ledger: () => ledgerFromRepositories(repositoriesFromEnv()),
    code: () => codeInfoFromEnv(),
  });
  return httpApi({
    'GET /cycles/{cycleId}/runs/{runId}/bundle': route({
      params: bundleParamsSchema,
      run: async ({ params, caller }) => {
        assertRole(caller, 'leadership', 'admin');
        const d = deps();
        const { cycleId, runId } = params;
        const cycle = await d.repos.cycles.get(cycleId);
        if (!cycle)
          throw notFound(
            `Siklus ${cycleId} (periksa kode siklus di GET /cycles)`,
            `Cycle ${cycleId} (check the cycle id in GET /cycles)`,
          );
        const run = await d.repos.runs.get(cycleId, runId);
        if (!run)
          throw notFound(`Penilaian ${runId} pada siklus ${cycleId}`, `Run ${runId} of cycle ${cycleId}`);
        if (run.status !== 'FINAL')
          throw conflict(
            'RUN_NOT_PUBLISHED',
            `Penilaian ${runId} berstatus ${run.status}; bundel reproduksi hanya untuk penilaian yang sudah diterbitkan (FINAL). Terbitkan dulu (POST /cycles/${cycleId}/runs/${runId}/publish).`,
            `Run ${runId} is ${run.status}; a reproducibility bundle exists only for a published (FINAL) run. Publish it first (POST /cycles/${cycleId}/runs/${runId}/publish).`,
          );
        const key = runKeys(cycleId, runId).bundle;
        let bytes = await d.objects.getBytes(key).catch((e: unknown) => {
          if (isMissingObject(e)) return undefined;
          throw e;
        });
        const built = bytes === undefined;
        if (!bytes) {
          bytes = await buildBundle(run, d);
          await d.objects.put(key, bytes, 'application/zip');
        }
        return {
          body: {
            cycleId,
            runId,
            key,
            bytes: bytes.byteLength,
            sha256: sha256(bytes),
            url: await d.presign(key),
            expiresIn: BUNDLE_LINK_SECONDS,
            built,
          },
          headers: { 'cache-control': 'no-store' },
        };
      },
    }),
  });
}

export const handler = createApiBundle();
