import * as z from 'zod';

/** The verification state machine's execution input (also what every step reads of the state). */
export const phaseRunInput = z.object({
  cycleId: z.string().min(1).max(128),
  phase: z.enum(['PROVISIONAL', 'FINAL']),
  from: z.enum(['VERIFICATION', 'PROVISIONAL', 'SANGGAH', 'RESOLUTION']),
  by: z.string().min(1).max(200),
  trigger: z.enum(['admin', 'schedule']),
  reason: z.string().max(500).optional(),
});

/** One Map iteration: the batch of regions to score. */
export const phaseBatchInput = z.object({
  cycleId: z.string().min(1).max(128),
  phase: z.enum(['PROVISIONAL', 'FINAL']),
  kodes: z
    .array(z.string().regex(/^\d{2}(\.\d{2})?$/))
    .min(1)
    .max(100),
});
