import * as z from 'zod';
import { regionCodeSchema } from '#domain/submission';
import { decisionInputSchema, STAGE_PHASES } from '#domain/verification/index';

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
