import type { S3Client } from '@aws-sdk/client-s3';
import { requiredEnv, s3Client } from '#adapters/aws-clients';
import { now } from '#adapters/clock';
import { presignGet } from '#adapters/documents';
import { getMethodology } from '#domain/methodology/registry';
import { httpApi, route } from '#http/api';
import { assertCanSeeRegion, assertRole } from '#http/auth';
import { assertCanReadRegion, MINISTRY } from './lib/verification/access';
import { cycleAgreement } from './lib/verification/agreement';
import { EVIDENCE_LINK_SECONDS, openEvidence, regionAnswers } from './lib/verification/answers';
import { assessorQueue, assignAssessors } from './lib/verification/assignments';
import {
  assignmentsBody,
  cycleParams,
  decisionsBody,
  editionBody,
  evidenceLinkBody,
  objectionBody,
  phaseBody,
  regionParams,
  resolutionBody,
  stageBody,
} from './lib/verification/contract';
import { decide, decideSheet } from './lib/verification/decisions';
import { stageOf, type VerificationDeps } from './lib/verification/deps';
import { cycleEditions, publishFinalEdition } from './lib/verification/editions';
import { cycleObjections, fileRegionObjection, resolveRegionObjection } from './lib/verification/objections';
import { phaseRunnerFromEnv } from './lib/verification/runtime';
import { scheduleStage } from './lib/verification/schedule';
import { regionScores } from './lib/verification/scores';
import { movePhase } from './lib/verification/stage';
import { ledgerFromEnv, ports, repositoriesFromEnv, uploadStoreFromEnv } from './lib/wiring';

/** The verification stage's routes (issue 11): each checks who may call it, then runs one use case. */
export function createVerificationApi(given: Partial<VerificationDeps> & { s3?: S3Client } = {}) {
  const deps = ports<VerificationDeps>(given, {
    repos: repositoriesFromEnv,
    objects: uploadStoreFromEnv,
    presign: () => presignGet(given.s3 ?? s3Client(), requiredEnv('UPLOAD_BUCKET'), EVIDENCE_LINK_SECONDS),
    methodologyOf: () => getMethodology,
    now: () => now,
    ledger: ledgerFromEnv,
    phases: phaseRunnerFromEnv,
  });

  return httpApi({
    'PUT /cycles/{cycleId}/verification': route({
      params: cycleParams,
      body: stageBody,
      run: async ({ params, body, caller }) => {
        assertRole(caller, 'admin');
        return { status: 201, body: await scheduleStage(deps(), params.cycleId, body) };
      },
    }),

    'GET /cycles/{cycleId}/verification': route({
      params: cycleParams,
      run: async ({ params, caller }) => {
        assertRole(caller, 'operator', ...MINISTRY);
        return { body: await stageOf(deps(), params.cycleId) };
      },
    }),

    'POST /cycles/{cycleId}/verification/phase': route({
      params: cycleParams,
      body: phaseBody,
      run: async ({ params, body, caller }) => {
        assertRole(caller, 'admin');
        const out = await movePhase(deps(), params.cycleId, body.to, caller.subject, 'admin', body.reason);
        // PROVISIONAL and FINAL: accepted; the state machine computes the results, then moves the phase.
        return { status: 'run' in out ? 202 : 200, body: out };
      },
    }),

    'POST /cycles/{cycleId}/assignments': route({
      params: cycleParams,
      body: assignmentsBody,
      run: async ({ params, body, caller }) => {
        assertRole(caller, 'admin');
        return { body: await assignAssessors(deps(), params.cycleId, body, caller.subject) };
      },
    }),

    'GET /cycles/{cycleId}/assignments': route({
      params: cycleParams,
      run: async ({ params, caller }) => {
        assertRole(caller, 'admin', 'assessor');
        return { body: await assessorQueue(deps(), caller, params.cycleId) };
      },
    }),

    'GET /cycles/{cycleId}/regions/{kode}/answers': route({
      params: regionParams,
      run: async ({ params, caller }) => {
        await assertCanReadRegion(deps(), caller, params.cycleId, params.kode);
        return { body: await regionAnswers(deps(), caller, params.cycleId, params.kode) };
      },
    }),

    'POST /cycles/{cycleId}/regions/{kode}/evidence-links': route({
      params: regionParams,
      body: evidenceLinkBody,
      run: async ({ params, body, caller }) => {
        await assertCanReadRegion(deps(), caller, params.cycleId, params.kode);
        return { body: await openEvidence(deps(), caller, params.cycleId, params.kode, body.answer) };
      },
    }),

    'POST /cycles/{cycleId}/decisions': route({
      params: cycleParams,
      body: decisionsBody,
      run: async ({ params, body, caller }) => {
        assertRole(caller, 'assessor', 'admin');
        if ('decisions' in body) {
          const inputs = body.decisions.map((input, i) => ({ input, where: { path: `decisions[${i}]` } }));
          return { body: await decide(deps(), caller, params.cycleId, [{ kode: body.kode, inputs }]) };
        }
        const sheet = {
          fileName: body.sheet.fileName,
          bytes: Buffer.from(body.sheet.contentBase64, 'base64'),
        };
        return { body: await decideSheet(deps(), caller, params.cycleId, sheet) };
      },
    }),

    'GET /cycles/{cycleId}/agreement': route({
      params: cycleParams,
      run: async ({ params, caller }) => {
        assertRole(caller, 'admin');
        return { body: await cycleAgreement(deps(), params.cycleId) };
      },
    }),

    'GET /cycles/{cycleId}/regions/{kode}/verification': route({
      params: regionParams,
      run: async ({ params, caller }) => {
        await assertCanReadRegion(deps(), caller, params.cycleId, params.kode);
        return { body: await regionScores(deps(), caller, params.cycleId, params.kode) };
      },
    }),

    'POST /cycles/{cycleId}/regions/{kode}/objections': route({
      params: regionParams,
      body: objectionBody,
      run: async ({ params, body, caller }) => {
        assertCanSeeRegion(caller, params.kode);
        return {
          status: 201,
          body: await fileRegionObjection(deps(), caller, params.cycleId, params.kode, body),
        };
      },
    }),

    'GET /cycles/{cycleId}/regions/{kode}/objections': route({
      params: regionParams,
      run: async ({ params, caller }) => {
        await assertCanReadRegion(deps(), caller, params.cycleId, params.kode);
        const items = await deps().repos.verification.listObjectionsOfRegion(params.cycleId, params.kode);
        return { body: { items } };
      },
    }),

    'POST /cycles/{cycleId}/regions/{kode}/objections/resolutions': route({
      params: regionParams,
      body: resolutionBody,
      run: async ({ params, body, caller }) => {
        assertRole(caller, 'assessor', 'admin');
        return { body: await resolveRegionObjection(deps(), caller, params.cycleId, params.kode, body) };
      },
    }),

    'GET /cycles/{cycleId}/objections': route({
      params: cycleParams,
      run: async ({ params, caller }) => {
        assertRole(caller, 'admin', 'assessor');
        return { body: await cycleObjections(deps(), params.cycleId) };
      },
    }),

    'POST /cycles/{cycleId}/editions': route({
      params: cycleParams,
      body: editionBody,
      run: async ({ params, body, caller }) => {
        assertRole(caller, 'admin');
        return {
          status: 201,
          body: await publishFinalEdition(deps(), params.cycleId, caller.subject, body.reason),
        };
      },
    }),

    'GET /cycles/{cycleId}/editions': route({
      params: cycleParams,
      run: async ({ params, caller }) => {
        assertRole(caller, 'operator', ...MINISTRY);
        return { body: await cycleEditions(deps(), params.cycleId) };
      },
    }),
  });
}

export const handler = createVerificationApi();
