import type { S3Client } from '@aws-sdk/client-s3';
import { requiredEnv, s3Client } from '#adapters/aws-clients';
import { newUploadId } from '#adapters/bucket-layout';
import { now } from '#adapters/clock';
import type { Repositories } from '#adapters/dynamo/index';
import { buildUploadPost, type UploadPost } from '#adapters/upload-policy';
import { windowEndsAt } from '#domain/cycle';
import { ProblemError } from '#domain/problems';
import { findRegion } from '#domain/regions';
import { grantSeconds } from '#domain/upload-grant';
import { httpApi, route } from '#http/api';
import { assertCanActForRegion } from '#http/auth';
import { badRequest, notFound } from '#http/errors';
import { regionParams, uploadRequestBody } from './lib/submissions/api-contract';
import { admitUpload } from './lib/submissions/window';
import { admitObjectionUpload } from './lib/verification/objections';
import { ports, repositoriesFromEnv } from './lib/wiring';

export interface RequestUploadDeps {
  repos: Pick<Repositories, 'cycles' | 'grants' | 'verification'>;
  s3: S3Client;
  bucket: string;
  now: () => Date;
}

/**
 * POST /cycles/{cycleId}/regions/{kode}/uploads → a presigned POST for one data or evidence file.
 * Refused: 403 when the caller may not act for the region, 404 for an unknown region or cycle,
 * 409 when the window is not open (server time, calendar with extensions and grace), 400 when the
 * file itself is refused (type, extension, size). Every grant is recorded (who, when, key, size
 * range, expiry) before it is handed out, and never outlives the window's end (deadline + grace):
 * ingestion admits only objects that match one.
 */
export function createRequestUpload(given: Partial<RequestUploadDeps> = {}) {
  const deps = ports<RequestUploadDeps>(given, {
    repos: repositoriesFromEnv,
    s3: s3Client,
    bucket: () => requiredEnv('UPLOAD_BUCKET'),
    now: () => now,
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
        // Data and evidence: the submission window; an objection's new evidence: the sanggah window.
        const { window, endsAt: windowEnd } =
          body.kind === 'objection'
            ? await admitObjectionUpload({ repos }, params.cycleId, at)
            : { window: admitUpload(cycle, at), endsAt: windowEndsAt(cycle.calendar) };
        const uploadId = newUploadId(body.kind, at);
        let post: UploadPost;
        try {
          post = await buildUploadPost({
            client: s3,
            bucket,
            cycleId: params.cycleId,
            region: params.kode,
            uploadId,
            fileName: body.fileName,
            contentType: body.contentType,
            size: body.size,
            kind: body.kind,
            maxExpirySeconds: grantSeconds(Number.POSITIVE_INFINITY, at.getTime(), windowEnd),
            now: at,
          });
        } catch (error) {
          if (!(error instanceof ProblemError)) throw error;
          throw badRequest(
            'UPLOAD_REFUSED',
            'Berkas tidak dapat diunggah; perbaiki hal yang disebut di "problems".',
            'The file cannot be uploaded; fix what "problems" names.',
            error.problems,
          );
        }
        await repos.grants.record({
          cycleId: params.cycleId,
          kode: params.kode,
          uploadId,
          kind: body.kind,
          key: post.key,
          fileName: post.fileName,
          contentType: body.contentType.trim().toLowerCase(),
          minBytes: post.minBytes,
          maxBytes: post.maxBytes,
          grantedBy: caller.subject,
          grantedAt: at.toISOString(),
          expiresAt: post.expiresAt,
          windowEndsAt: new Date(windowEnd).toISOString(),
        });
        return { body: { uploadId, kind: body.kind, method: 'POST', ...post, window } };
      },
    }),
  });
}

export const handler = createRequestUpload();
