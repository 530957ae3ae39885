import * as z from 'zod';
import { regionCodeSchema } from '#domain/submission';
import { decisionInputSchema, STAGE_PHASES } from '#domain/verification/index';
import type { ApiOperation } from '#http/openapi';
import { verificationChangeSchema } from '#http/openapi-results';

/** Request shapes of api-verification (documented in the OpenAPI document). */
export const cycleParams = z.object({ cycleId: z.string().min(1).max(128) }).strict();
export const regionParams = z
  .object({ cycleId: z.string().min(1).max(128), kode: regionCodeSchema })
  .strict();

const instant = z.string().regex(/(Z|[+-]\d{2}:\d{2})$/, 'ISO 8601 dengan zona / with an offset');
export const stageBody = z
  .object({
    verificationOpensAt: instant,
    verificationClosesAt: instant,
    sanggahOpensAt: instant,
    sanggahClosesAt: instant,
    respondBy: instant,
    sampleRate: z.number().min(0).max(1).optional(),
    seed: z.string().min(1).max(100).optional(),
  })
  .strict();

export const phaseBody = z
  .object({ to: z.enum(STAGE_PHASES), reason: z.string().max(500).optional() })
  .strict();

const assessor = z.object({ id: z.string().min(1), province: z.string().regex(/^\d{2}$/) }).strict();
export const assignmentsBody = z
  .object({
    assessors: z.array(assessor).min(1),
    /** Made by the admin; kept as given (conflicts of interest refused). */
    assignments: z
      .array(
        z
          .object({
            region: regionCodeSchema,
            primary: z.string().min(1),
            second: z.string().min(1).optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export const decisionsBody = z.union([
  z.object({ kode: regionCodeSchema, decisions: z.array(decisionInputSchema).min(1).max(5000) }).strict(),
  z
    .object({
      sheet: z.object({ fileName: z.string().min(1).max(200), contentBase64: z.string().min(1) }).strict(),
    })
    .strict(),
]);

export const evidenceLinkBody = z.object({ answer: z.string().min(1).max(300) }).strict();

export const objectionBody = z
  .object({
    answer: z.string().min(1).max(300),
    claim: z.string().min(1).max(4000),
    evidence: z.array(z.string().min(1).max(1024)).max(20).default([]),
  })
  .strict();

export const resolutionBody = z
  .object({
    answer: z.string().min(1).max(300),
    outcome: z.enum(['upheld', 'dismissed']),
    reason: z.string().min(1).max(2000),
    decision: decisionInputSchema.pick({ decision: true, level: true, value: true }).optional(),
  })
  .strict();

export const editionBody = z.object({ reason: z.string().max(2000).optional() }).strict();

const errors = (more: Record<number, string> = {}): Record<number, string> => ({
  400: 'Permintaan tidak sah / invalid request: `problems` names every input to fix (with its row for a sheet).',
  401: 'Token tidak ada atau tidak sah / missing or invalid token.',
  403: 'Peran tidak berwenang, atau konflik kepentingan / the role may not do this, or a conflict of interest.',
  ...more,
});
const NOT_FOUND =
  'Siklus, wilayah atau data tidak ditemukan (wilayah lain: 404) / not found (another region: 404).';
const PHASE = 'Tahap tidak mengizinkan / the phase does not allow it (also: nothing changes after FINAL).';

const score = z.object({
  index: z.number(),
  display: z.string(),
  predikat: z.string(),
  predikatEn: z.string(),
});
const stage = z.looseObject({
  cycleId: z.string(),
  phase: z.enum(STAGE_PHASES).nullable(),
  version: z.number(),
});
const objection = z.looseObject({
  region: z.string(),
  answer: z.string(),
  status: z.enum(['open', 'upheld', 'dismissed']),
});
const edition = z.looseObject({
  edition: z.number(),
  publishedAt: z.string(),
  reason: z.string().optional(),
});

const op = (
  o: Omit<ApiOperation, 'tags' | 'errors'> & { errors?: Record<number, string> },
): ApiOperation => ({
  tags: ['verification'],
  ...o,
  errors: errors(o.errors),
});

/** The verification routes in the OpenAPI document (merged by api-cycles). */
export const VERIFICATION_OPERATIONS: readonly ApiOperation[] = [
  op({
    method: 'put',
    path: '/cycles/{cycleId}/verification',
    operationId: 'scheduleVerification',
    summary: 'Jadwal tahap verifikasi / schedule the verification stage',
    description:
      'Admin. Verification, sanggah window and response deadline (WIB), double-verification share and seed.',
    params: cycleParams,
    body: stageBody,
    response: stage,
    status: 201,
    errors: { 404: NOT_FOUND, 409: 'Already scheduled.' },
  }),
  op({
    method: 'get',
    path: '/cycles/{cycleId}/verification',
    operationId: 'getVerification',
    summary: 'Tahap verifikasi / the verification stage',
    description: 'Phase, calendar and the history of every phase move. Every role.',
    params: cycleParams,
    response: stage,
    errors: { 404: NOT_FOUND, 409: 'Not scheduled.' },
  }),
  op({
    method: 'post',
    path: '/cycles/{cycleId}/verification/phase',
    operationId: 'moveVerificationPhase',
    summary: 'Pindah tahap / move the phase',
    description:
      'Admin. VERIFICATION → PROVISIONAL (every region complete; verified results and ranks kept) → SANGGAH → RESOLUTION → FINAL (objections resolved; re-rank, rank notices). Also moved by the schedule. PROVISIONAL and FINAL answer 202 with `run.execution` (`{cycleId}-{phase}`): the verification state machine computes the results, then moves the phase.',
    params: cycleParams,
    body: phaseBody,
    response: z.looseObject({ stage }),
    errors: { 404: NOT_FOUND, 409: PHASE },
  }),
  op({
    method: 'post',
    path: '/cycles/{cycleId}/assignments',
    operationId: 'assignRegions',
    summary: 'Tugaskan penilai / assign assessors',
    description:
      'Admin. Balanced automatic assignment of every submitted region (never an assessor of its own province), admin assignments kept, a seeded sample double-verified.',
    params: cycleParams,
    body: assignmentsBody,
    response: z.looseObject({
      assignments: z.array(z.looseObject({ region: z.string(), primary: z.string() })),
    }),
    errors: { 404: NOT_FOUND, 409: PHASE },
  }),
  op({
    method: 'get',
    path: '/cycles/{cycleId}/assignments',
    operationId: 'listAssignments',
    summary: 'Antrean penilai / assessor queue',
    description: 'Admin: every assignment. Assessor: own queue with progress.',
    params: cycleParams,
    response: z.looseObject({ items: z.array(z.looseObject({ region: z.string() })) }),
    errors: { 404: NOT_FOUND },
  }),
  op({
    method: 'get',
    path: '/cycles/{cycleId}/regions/{kode}/answers',
    operationId: 'regionAnswers',
    summary: 'Jawaban dan keputusan / answers and decisions',
    description:
      'Every answer with its evidence file, the decision that counts (unreviewed: null), objections; admins also see each slot. Its operator, its assessors, admin, leadership.',
    params: regionParams,
    response: z.looseObject({
      progress: z.looseObject({ complete: z.boolean() }),
      answers: z.array(z.looseObject({ key: z.string() })),
    }),
    errors: { 404: NOT_FOUND },
  }),
  op({
    method: 'post',
    path: '/cycles/{cycleId}/regions/{kode}/evidence-links',
    operationId: 'openEvidence',
    summary: 'Buka bukti / open evidence',
    description: 'A presigned GET (5 minutes) for the evidence of one answer; every opening is recorded.',
    params: regionParams,
    body: evidenceLinkBody,
    response: z.object({
      answer: z.string(),
      fileName: z.string(),
      url: z.string(),
      expiresInSeconds: z.number(),
    }),
    errors: { 404: NOT_FOUND },
  }),
  op({
    method: 'post',
    path: '/cycles/{cycleId}/decisions',
    operationId: 'decide',
    summary: 'Keputusan verifikasi / verification decisions',
    description:
      "Assessor (assigned, not of the region's province) or admin (adjudication). One region's decisions as JSON, or a sheet (XLSX/CSV, base64) with columns kode,answer,decision,level,reason,note. Nothing is stored unless everything is valid.",
    params: cycleParams,
    body: decisionsBody,
    response: z.object({ stored: z.number(), regions: z.array(z.string()) }),
    errors: { 404: NOT_FOUND, 409: PHASE },
  }),
  op({
    method: 'get',
    path: '/cycles/{cycleId}/agreement',
    operationId: 'agreement',
    summary: 'Kesepakatan verifikasi ganda / double-verification agreement',
    description:
      "Admin. Weighted Cohen's kappa and identical share per indicator and assessor pair; disagreements to adjudicate.",
    params: cycleParams,
    response: z.looseObject({
      overall: z.looseObject({ pairs: z.number() }),
      disagreements: z.array(z.looseObject({ region: z.string() })),
    }),
    errors: { 404: NOT_FOUND },
  }),
  op({
    method: 'get',
    path: '/cycles/{cycleId}/regions/{kode}/verification',
    operationId: 'regionVerification',
    summary: 'Nilai mandiri, terverifikasi, akhir / self, verified and final scores',
    description:
      'scores.self, scores.verified (and scores.final once final) with every change, its reason and its effect; the effects add up to the difference. Rank notices after the sanggah.',
    params: regionParams,
    response: z.looseObject({
      scores: z.object({ self: score, verified: score, final: score.optional() }),
      changes: z.array(verificationChangeSchema),
    }),
    errors: { 404: NOT_FOUND },
  }),
  op({
    method: 'post',
    path: '/cycles/{cycleId}/regions/{kode}/objections',
    operationId: 'fileObjection',
    summary: 'Ajukan sanggah / file an objection',
    description:
      "The region's operator, during the sanggah window (outside: 409 with the dates in WIB); one per adjusted or rejected answer.",
    params: regionParams,
    body: objectionBody,
    response: objection,
    status: 201,
    errors: { 404: NOT_FOUND, 409: PHASE },
  }),
  op({
    method: 'get',
    path: '/cycles/{cycleId}/regions/{kode}/objections',
    operationId: 'regionObjections',
    summary: "Sanggah wilayah / a region's objections",
    description: 'Its operator, its assessors, admin, leadership.',
    params: regionParams,
    response: z.object({ items: z.array(objection) }),
    errors: { 404: NOT_FOUND },
  }),
  op({
    method: 'post',
    path: '/cycles/{cycleId}/regions/{kode}/objections/resolutions',
    operationId: 'resolveObjection',
    summary: 'Putus sanggah / resolve an objection',
    description:
      "An assessor other than the one who decided (not of the region's province), or admin: upheld (the decision changes; default accept) or dismissed, with a reason.",
    params: regionParams,
    body: resolutionBody,
    response: objection,
    errors: { 404: NOT_FOUND, 409: PHASE },
  }),
  op({
    method: 'get',
    path: '/cycles/{cycleId}/objections',
    operationId: 'listObjections',
    summary: 'Semua sanggah / every objection',
    description: 'Admin, assessor. Objections open past the response deadline are flagged `overdue`.',
    params: cycleParams,
    response: z.looseObject({ items: z.array(objection), overdue: z.number() }),
    errors: { 404: NOT_FOUND },
  }),
  op({
    method: 'post',
    path: '/cycles/{cycleId}/editions',
    operationId: 'publishEdition',
    summary: 'Terbitkan hasil akhir / publish final results',
    description:
      'Admin, once FINAL. Edition 1 is the publication; a correction is a new edition with its reason; nothing is overwritten.',
    params: cycleParams,
    body: editionBody,
    response: edition,
    status: 201,
    errors: { 404: NOT_FOUND, 409: PHASE },
  }),
  op({
    method: 'get',
    path: '/cycles/{cycleId}/editions',
    operationId: 'listEditions',
    summary: 'Edisi hasil akhir / final editions',
    description: 'The latest edition and every earlier one. Every role.',
    params: cycleParams,
    response: z.object({ latest: edition.nullable(), items: z.array(edition) }),
    errors: { 404: NOT_FOUND },
  }),
];
