import type { S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod';
import { requiredEnv, s3Client } from '#adapters/aws-clients';
import { newUploadId, UPLOAD_KINDS } from '#adapters/bucket-layout';
import type { Repositories } from '#adapters/dynamo/index';
import { buildUploadPost } from '#adapters/upload-policy';
import { ProblemError } from '#domain/problems';
import { findRegion } from '#domain/regions';
import { regionCodeSchema } from '#domain/submission';
import { httpApi, route } from '#http/api';
import { assertCanActForRegion } from '#http/auth';
import { badRequest, notFound } from '#http/errors';
import { regionParams, uploadRequestBody } from './lib/submissions/api-contract';
import { admitUpload } from './lib/submissions/window';
import { ports, repositoriesFromEnv } from './lib/wiring';

export interface RequestUploadDeps {
  repos: Pick<Repositories, 'cycles'>;
  s3: S3Client;
  bucket: string;
  now: () => Date;
}

/**
 * POST /cycles/{cycleId}/regions/{kode}/uploads → a presigned POST for one data or evidence file.
 * Refused: 403 when the caller may not act for the region, 404 for an unknown region or cycle,
 * 409 when the window is not open (server time, calendar with extensions and grace), 400 when the
 * file itself is refused (type, extension, size).
 */
export function createRequestUpload(given: Partial<RequestUploadDeps> = {}) {
  const deps = ports<RequestUploadDeps>(given, {
    repos: repositoriesFromEnv,
    s3: s3Client,
    bucket: () => requiredEnv('UPLOAD_BUCKET'),
    now: () => () => new Date(),
  });

  return httpApi({
    'POST /cycles/{cycleId}/regions/{kode}/uploads': route({
      params: regionParams,
      body: uploadRequestBody,
      run: async ({ params, body, caller }) => {
        const { repos, s3, bucket, now } = deps();
        assertCanActForRegion(caller, params.kode);
        if (!findRegion(params.kode)) throw notFound(`Wilayah ${params.kode}`, `Region ${params.kode}`);
        const cycle = await repos.cycles.get(params.cycleId);
        if (!cycle) throw notFound(`Siklus ${params.cycleId}`, `Cycle ${params.cycleId}`);
        const at = now();
        const window = admitUpload(cycle, at);
        const uploadId = newUploadId(body.kind, at);
        try {
          const post = await buildUploadPost({
            client: s3,
            bucket,
            cycleId: params.cycleId,
            region: params.kode,
            uploadId,
            fileName: body.fileName,
            contentType: body.contentType,
            size: body.size,
            kind: body.kind,
          });
          return { body: { uploadId, kind: body.kind, method: 'POST', ...post, window } };
        } catch (error) {
          if (!(error instanceof ProblemError)) throw error;
          throw badRequest(
            'UPLOAD_REFUSED',
            'Berkas tidak dapat diunggah; perbaiki hal yang disebut di "problems".',
            'The file cannot be uploaded; fix what "problems" names.',
            error.problems,
          );
        }
      },
    }),
  });
}

export const handler = createRequestUpload();
