import type { S3Client } from '@aws-sdk/client-s3';
import { requiredEnv, s3Client } from '#adapters/aws-clients';
import { now } from '#adapters/clock';
import { presignGet } from '#adapters/documents';
import { getMethodology } from '#domain/methodology/registry';
import type { ProblemLocation } from '#domain/problems';
import {
  agreementReport,
  assignRegions,
  catalogueMap,
  type DoubleVerification,
  fileObjection,
  mayVerify,
  overdueObjections,
  publishEdition,
  resolveObjection,
  stageCalendarProblems,
  verificationOutcome,
} from '#domain/verification/index';
import { httpApi, route } from '#http/api';
import { assertCanSeeRegion, assertRole, type Caller, hasRole } from '#http/auth';
import { badRequest, conflict, forbidden, notFound } from '#http/errors';
import { ledgerActor } from '#http/ledger-actor';
import { readDecisionSheet } from '#intake/decision-sheet';
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
import { assertPhase, decide, regionDecisions } from './lib/verification/decisions';
import { cycleOf, stageOf, type VerificationDeps } from './lib/verification/deps';
import { recordObjection } from './lib/verification/ledger';
import { movePhase } from './lib/verification/stage';
import { ledgerFromEnv, ports, repositoriesFromEnv, uploadStoreFromEnv } from './lib/wiring';

const MINISTRY = ['admin', 'assessor', 'leadership'] as const;

/**
 * Who may read a region's answers and decisions: admin and leadership, its assigned assessors,
 * its own operator. Anyone else gets 404 (learns nothing about another region).
 */
async function assertCanReadRegion(deps: VerificationDeps, caller: Caller, cycleId: string, kode: string) {
  assertCanSeeRegion(caller, kode);
  if (hasRole(caller, 'admin', 'leadership')) return;
  if (caller.roles.has('operator') && caller.region === kode) return;
  const a = await deps.repos.verification.getAssignment(cycleId, kode);
  if (a && (a.primary === caller.subject || a.second === caller.subject)) return;
  throw notFound(`Data wilayah ${kode}`, `Data of region ${kode}`);
}

export function createVerificationApi(given: Partial<VerificationDeps> & { s3?: S3Client } = {}) {
  const deps = ports<VerificationDeps>(given, {
    repos: repositoriesFromEnv,
    objects: uploadStoreFromEnv,
    presign: () => presignGet(given.s3 ?? s3Client(), requiredEnv('UPLOAD_BUCKET'), 300),
    methodologyOf: () => getMethodology,
    now: () => now,
    ledger: ledgerFromEnv,
  });

  return httpApi({
    'PUT /cycles/{cycleId}/verification': route({
      params: cycleParams,
      body: stageBody,
      run: async ({ params, body, caller }) => {
        assertRole(caller, 'admin');
        await cycleOf(deps(), params.cycleId);
        const problems = stageCalendarProblems(body);
        if (problems.length > 0)
          throw badRequest(
            'STAGE_CALENDAR_INVALID',
            'Jadwal tahap verifikasi tidak sah.',
            'The verification stage calendar is not valid.',
            problems,
          );
        try {
          return { status: 201, body: await deps().repos.verification.createStage(params.cycleId, body) };
        } catch (error) {
          if (error instanceof Error && error.name === 'StageConflictError')
            throw conflict(
              'STAGE_EXISTS',
              'Tahap verifikasi siklus ini sudah dijadwalkan.',
              "This cycle's verification stage is already scheduled.",
            );
          throw error;
        }
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
        return {
          body: await movePhase(deps(), params.cycleId, body.to, caller.subject, 'admin', body.reason),
        };
      },
    }),

    'POST /cycles/{cycleId}/assignments': route({
      params: cycleParams,
      body: assignmentsBody,
      run: async ({ params, body, caller }) => {
        assertRole(caller, 'admin');
        const stage = await stageOf(deps(), params.cycleId);
        assertPhase(stage, ['VERIFICATION'], { id: 'Penugasan', en: 'Assignment' });
        const province = new Map(body.assessors.map((a) => [a.id, a.province]));
        for (const a of body.assignments)
          for (const id of [a.primary, a.second].filter((x): x is string => x !== undefined)) {
            const p = province.get(id);
            if (!p || !mayVerify({ province: p }, a.region))
              throw badRequest(
                'CONFLICT_OF_INTEREST',
                `Penilai ${id} (provinsi ${p ?? '?'}) tidak boleh memverifikasi wilayah ${a.region}.`,
                `Assessor ${id} (province ${p ?? '?'}) may not verify region ${a.region}.`,
              );
          }
        const regions = (await deps().repos.regionStatus.listCurrent(params.cycleId)).map((r) => r.kode);
        const existing = [
          ...(await deps().repos.verification.listAssignments(params.cycleId)),
          ...body.assignments,
        ];
        const plan = assignRegions({
          regions,
          assessors: body.assessors,
          seed: stage.calendar.seed ?? params.cycleId,
          sampleRate: stage.calendar.sampleRate ?? 0.1,
          existing: existing.map(({ region, primary, second }) => ({
            region,
            primary,
            ...(second ? { second } : {}),
          })),
        });
        await deps().repos.verification.putAssignments(params.cycleId, plan.assignments, caller.subject);
        return { body: plan };
      },
    }),

    'GET /cycles/{cycleId}/assignments': route({
      params: cycleParams,
      run: async ({ params, caller }) => {
        assertRole(caller, 'admin', 'assessor');
        const all = await deps().repos.verification.listAssignments(params.cycleId);
        if (hasRole(caller, 'admin')) return { body: { items: all } };
        const mine = all.filter((a) => a.primary === caller.subject || a.second === caller.subject);
        const items = [];
        for (const a of mine) {
          const r = await regionDecisions(deps(), params.cycleId, a.region);
          items.push({
            ...a,
            role: a.primary === caller.subject ? 'primary' : 'second',
            progress: { total: r.progress.total, decided: r.progress.decided, complete: r.progress.complete },
          });
        }
        return { body: { items } };
      },
    }),

    'GET /cycles/{cycleId}/regions/{kode}/answers': route({
      params: regionParams,
      run: async ({ params, caller }) => {
        await assertCanReadRegion(deps(), caller, params.cycleId, params.kode);
        const r = await regionDecisions(deps(), params.cycleId, params.kode);
        const admin = hasRole(caller, 'admin');
        const objections = await deps().repos.verification.listObjectionsOfRegion(
          params.cycleId,
          params.kode,
        );
        return {
          body: {
            cycleId: params.cycleId,
            kode: params.kode,
            submissionId: r.submissionId,
            progress: { ...r.progress, awaitingAdjudication: r.counted.awaitingAdjudication },
            answers: r.catalogue.map((ref) => ({
              ...ref,
              decision: r.counted.counting.get(ref.key) ?? null,
              ...(admin
                ? {
                    decisions: {
                      primary: r.counted.bySlot.P.get(ref.key) ?? null,
                      second: r.counted.bySlot.S.get(ref.key) ?? null,
                      adjudicated: r.counted.bySlot.A.get(ref.key) ?? null,
                    },
                  }
                : {}),
              objection: objections.find((o) => o.answer === ref.key) ?? null,
            })),
          },
        };
      },
    }),

    'POST /cycles/{cycleId}/regions/{kode}/evidence-links': route({
      params: regionParams,
      body: evidenceLinkBody,
      run: async ({ params, body, caller }) => {
        await assertCanReadRegion(deps(), caller, params.cycleId, params.kode);
        const r = await regionDecisions(deps(), params.cycleId, params.kode);
        const ref = catalogueMap(r.catalogue).get(body.answer);
        if (!ref?.evidence)
          throw notFound(`Bukti jawaban ${body.answer}`, `Evidence of answer ${body.answer}`);
        const files = await deps().repos.evidence.listForRegion(params.cycleId, params.kode);
        const file = files.find((f) => f.fileName === ref.evidence);
        if (!file) throw notFound(`Berkas bukti ${ref.evidence}`, `Evidence file ${ref.evidence}`);
        const url = await deps().presign(file.object.key);
        await deps().repos.verification.recordEvidenceOpening(
          params.cycleId,
          params.kode,
          caller.subject,
          file.object.key,
        );
        return { body: { answer: body.answer, fileName: file.fileName, url, expiresInSeconds: 300 } };
      },
    }),

    'POST /cycles/{cycleId}/decisions': route({
      params: cycleParams,
      body: decisionsBody,
      run: async ({ params, body, caller }) => {
        assertRole(caller, 'assessor', 'admin');
        if ('decisions' in body) {
          const out = await decide(deps(), caller, params.cycleId, [
            {
              kode: body.kode,
              inputs: body.decisions.map((input, i) => ({
                input,
                where: { path: `decisions[${i}]` } as ProblemLocation,
              })),
            },
          ]);
          return { body: out };
        }
        const bytes = Buffer.from(body.sheet.contentBase64, 'base64');
        const sheet = await readDecisionSheet(bytes, body.sheet.fileName);
        const byRegion = new Map<
          string,
          { input: (typeof sheet.rows)[number]['input']; where: ProblemLocation }[]
        >();
        for (const row of sheet.rows) {
          const list = byRegion.get(row.kode) ?? [];
          list.push({ input: row.input, where: { file: body.sheet.fileName, row: row.row } });
          byRegion.set(row.kode, list);
        }
        const out = await decide(
          deps(),
          caller,
          params.cycleId,
          [...byRegion].map(([kode, inputs]) => ({ kode, inputs })),
          sheet.problems,
        );
        return { body: out };
      },
    }),

    'GET /cycles/{cycleId}/agreement': route({
      params: cycleParams,
      run: async ({ params, caller }) => {
        assertRole(caller, 'admin');
        const samples: DoubleVerification[] = [];
        for (const a of await deps().repos.verification.listAssignments(params.cycleId)) {
          if (!a.second) continue;
          const r = await regionDecisions(deps(), params.cycleId, a.region);
          samples.push({
            region: a.region,
            catalogue: r.catalogue,
            first: { assessor: a.primary, decisions: r.counted.bySlot.P },
            second: { assessor: a.second, decisions: r.counted.bySlot.S },
          });
        }
        return { body: { regions: samples.length, ...agreementReport(samples) } };
      },
    }),

    'GET /cycles/{cycleId}/regions/{kode}/verification': route({
      params: regionParams,
      run: async ({ params, caller }) => {
        await assertCanReadRegion(deps(), caller, params.cycleId, params.kode);
        const stage = await stageOf(deps(), params.cycleId);
        const stored =
          (await deps().repos.verification.getStageResult(params.cycleId, 'FINAL', params.kode)) ??
          (await deps().repos.verification.getStageResult(params.cycleId, 'PROVISIONAL', params.kode));
        if (stored) return { body: { ...stored, resultsOf: stored.phase, phase: stage.phase } };
        if (!hasRole(caller, ...MINISTRY))
          throw notFound(
            `Hasil verifikasi wilayah ${params.kode}`,
            `Verification results of region ${params.kode}`,
          );
        // During verification the ministry sees the live state (not yet published to the region).
        const r = await regionDecisions(deps(), params.cycleId, params.kode);
        const o = verificationOutcome(r.methodology, r.submission, r.counted.counting, {}, r.catalogue);
        const score = (s: typeof o.self) => ({
          index: s.index,
          display: s.display,
          predikat: s.predikat,
          predikatEn: s.predikatEn,
        });
        return {
          body: {
            phase: stage.phase,
            live: true,
            kode: params.kode,
            scores: { self: score(o.self), verified: score(o.verified) },
            changes: o.changes,
            progress: r.progress,
          },
        };
      },
    }),

    'POST /cycles/{cycleId}/regions/{kode}/objections': route({
      params: regionParams,
      body: objectionBody,
      run: async ({ params, body, caller }) => {
        assertCanSeeRegion(caller, params.kode);
        if (!(caller.roles.has('operator') && caller.region === params.kode))
          throw forbidden(
            'Sanggah diajukan oleh operator wilayah itu sendiri.',
            "An objection is filed by the region's own operator.",
          );
        const stage = await stageOf(deps(), params.cycleId);
        assertPhase(stage, ['PROVISIONAL', 'SANGGAH', 'RESOLUTION'], { id: 'Sanggah', en: 'An objection' });
        const r = await regionDecisions(deps(), params.cycleId, params.kode);
        const existing = await deps().repos.verification.listObjectionsOfRegion(params.cycleId, params.kode);
        const out = fileObjection({
          id: `${params.kode}:${body.answer}`,
          region: params.kode,
          ref: catalogueMap(r.catalogue).get(body.answer),
          answer: body.answer,
          claim: body.claim,
          evidence: body.evidence,
          filedBy: caller.subject,
          now: deps().now(),
          window: {
            opensAt: stage.calendar.sanggahOpensAt,
            closesAt: stage.calendar.sanggahClosesAt,
            respondBy: stage.calendar.respondBy,
          },
          decision: r.counted.counting.get(body.answer),
          existing,
        });
        if (!out.ok) {
          const [p] = out.problems;
          throw (p?.code ?? '').startsWith('SANGGAH_')
            ? conflict(p?.code ?? '', p?.message_id ?? '', p?.message_en ?? '')
            : badRequest(
                p?.code ?? 'OBJECTION_REFUSED',
                p?.message_id ?? '',
                p?.message_en ?? '',
                out.problems,
              );
        }
        const { created } = await deps().repos.verification.fileObjection({
          ...out.value,
          cycleId: params.cycleId,
        });
        if (!created)
          throw conflict(
            'OBJECTION_EXISTS',
            'Sanggah untuk jawaban ini sudah diajukan.',
            'An objection to this answer was already filed.',
          );
        await recordObjection(deps().ledger, ledgerActor(caller, 'operator'), params.cycleId, out.value);
        return { status: 201, body: out.value };
      },
    }),

    'GET /cycles/{cycleId}/regions/{kode}/objections': route({
      params: regionParams,
      run: async ({ params, caller }) => {
        await assertCanReadRegion(deps(), caller, params.cycleId, params.kode);
        return {
          body: {
            items: await deps().repos.verification.listObjectionsOfRegion(params.cycleId, params.kode),
          },
        };
      },
    }),

    'POST /cycles/{cycleId}/regions/{kode}/objections/resolutions': route({
      params: regionParams,
      body: resolutionBody,
      run: async ({ params, body, caller }) => {
        assertRole(caller, 'assessor', 'admin');
        if (
          caller.roles.has('assessor') &&
          !hasRole(caller, 'admin') &&
          (!caller.province || !mayVerify({ province: caller.province }, params.kode))
        )
          throw forbidden(
            `Konflik kepentingan: penilai dari provinsi ${caller.province ?? '?'} tidak boleh memutus sanggah wilayah ${params.kode}.`,
            `Conflict of interest: an assessor from province ${caller.province ?? '?'} may not resolve objections of region ${params.kode}.`,
          );
        const stage = await stageOf(deps(), params.cycleId);
        assertPhase(stage, ['SANGGAH', 'RESOLUTION'], {
          id: 'Putusan sanggah',
          en: 'Resolving an objection',
        });
        const objection = (
          await deps().repos.verification.listObjectionsOfRegion(params.cycleId, params.kode)
        ).find((o) => o.answer === body.answer);
        if (!objection)
          throw notFound(`Sanggah jawaban ${body.answer}`, `Objection to answer ${body.answer}`);
        const out = resolveObjection(objection, {
          by: caller.subject,
          now: deps().now(),
          outcome: body.outcome,
          reason: body.reason,
          ...(body.decision ? { decision: body.decision } : {}),
        });
        if (!out.ok) {
          const [p] = out.problems;
          throw conflict(p?.code ?? 'RESOLUTION_REFUSED', p?.message_id ?? '', p?.message_en ?? '');
        }
        if (!(await deps().repos.verification.resolveObjection({ ...out.value, cycleId: params.cycleId })))
          throw conflict(
            'OBJECTION_RESOLVED',
            'Sanggah ini sudah diputuskan.',
            'This objection is already resolved.',
          );
        await recordObjection(
          deps().ledger,
          ledgerActor(caller, 'assessor', 'admin'),
          params.cycleId,
          out.value,
        );
        return { body: out.value };
      },
    }),

    'GET /cycles/{cycleId}/objections': route({
      params: cycleParams,
      run: async ({ params, caller }) => {
        assertRole(caller, 'admin', 'assessor');
        const items = await deps().repos.verification.listObjectionsOfCycle(params.cycleId);
        const overdue = new Set(overdueObjections(items, deps().now()).map((o) => `${o.region}|${o.answer}`));
        return {
          body: {
            items: items.map((o) => ({ ...o, overdue: overdue.has(`${o.region}|${o.answer}`) })),
            overdue: overdue.size,
          },
        };
      },
    }),

    'POST /cycles/{cycleId}/editions': route({
      params: cycleParams,
      body: editionBody,
      run: async ({ params, body, caller }) => {
        assertRole(caller, 'admin');
        const stage = await stageOf(deps(), params.cycleId);
        if (stage.phase !== 'FINAL')
          throw conflict(
            'NOT_FINAL',
            'Hasil akhir diterbitkan setelah tahap FINAL.',
            'Final results are published once the stage is FINAL.',
          );
        const editions = await deps().repos.verification.listEditions(params.cycleId);
        const out = publishEdition(
          editions.map((e) => ({ ...e, results: e.phase })),
          {
            results: 'FINAL',
            at: deps().now(),
            by: caller.subject,
            ...(body.reason ? { reason: body.reason } : {}),
          },
        );
        if (!out.ok) {
          const [p] = out.problems;
          throw conflict(p?.code ?? 'EDITION_REFUSED', p?.message_id ?? '', p?.message_en ?? '');
        }
        const latest = out.value.at(-1);
        if (!latest) throw conflict('EDITION_REFUSED', 'Edisi tidak dibuat.', 'No edition was made.');
        const record = {
          cycleId: params.cycleId,
          edition: latest.edition,
          publishedAt: latest.publishedAt,
          publishedBy: latest.publishedBy,
          phase: 'FINAL',
          ...(latest.reason ? { reason: latest.reason } : {}),
        };
        if (!(await deps().repos.verification.putEdition(record)))
          throw conflict(
            'EDITION_EXISTS',
            'Edisi ini baru saja diterbitkan oleh proses lain.',
            'This edition was just published by another process.',
          );
        return { status: 201, body: record };
      },
    }),

    'GET /cycles/{cycleId}/editions': route({
      params: cycleParams,
      run: async ({ params, caller }) => {
        assertRole(caller, 'operator', ...MINISTRY);
        const items = await deps().repos.verification.listEditions(params.cycleId);
        return { body: { latest: items.at(-1) ?? null, items } };
      },
    }),
  });
}

export const handler = createVerificationApi();
