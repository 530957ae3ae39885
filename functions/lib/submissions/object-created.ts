import * as z from 'zod';

/** The EventBridge event S3 sends for a new object (bucket with EventBridge notifications on). */
export const objectCreatedSchema = z.object({
  source: z.literal('aws.s3'),
  'detail-type': z.literal('Object Created'),
  time: z.string().refine((t) => !Number.isNaN(Date.parse(t)), 'not an ISO 8601 instant'),
  detail: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      // EventBridge keys are not URL-encoded (S3 notifications' are); ours never need decoding.
      key: z.string().min(1).max(1024),
      size: z.number().int().nonnegative().optional(),
      etag: z.string().min(1).optional(),
      'version-id': z.string().min(1).optional(),
    }),
  }),
});
export type ObjectCreated = z.infer<typeof objectCreatedSchema>;
