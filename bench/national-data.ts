import { demoUploads } from '#cli/demo/generate';
import { type Submission, submissionSchema } from '#domain/submission';

/** A national IID data set from the demo generator: all 552 regions, `total` innovations in all. */
export function nationalIid(options: { total?: number; seed?: number } = {}): Submission[] {
  return demoUploads({
    methodology: 'iid-2023',
    period: 2023,
    innovations: options.total ?? 31_719,
    seed: options.seed ?? 2024,
    allValid: true,
  }).map((u) => submissionSchema.parse(JSON.parse(u.body)));
}
