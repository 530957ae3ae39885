import type { Submission, SubmissionInput } from './submission';

/**
 * The canonical JSON of a parsed submission: the upload format `submissionSchema` reads, so that
 * `submissionSchema.parse(toSubmissionJson(s))` gives `s` back. Parsing gathers a group item's free
 * fields (urusan, tahun) into `fields`; the file keeps them beside `id`, as every upload does.
 */
export function toSubmissionJson(submission: Submission): SubmissionInput {
  const groups: Record<string, Record<string, unknown>[]> = {};
  for (const [group, items] of Object.entries(submission.groups))
    groups[group] = items.map(({ fields, ...item }) => ({ ...fields, ...item }));
  return { ...submission, groups } as SubmissionInput;
}
