import { entityTooSmall, S3Error } from './errors';

/**
 * S3's POST policy rules (docs: "Creating a POST policy"): the policy must not have expired; each
 * condition must hold (exact match `{field: value}` or `["eq", "$field", value]`, `["starts-with",
 * "$field", prefix]`, `["content-length-range", min, max]`); and every form field except `policy`,
 * `x-amz-signature`, `file` and `x-ignore-*` must be named by a condition. Field names match without
 * regard to case; values exactly. Refusals are the errors S3 answers.
 */

export interface PolicyInput {
  /** The decoded policy document. */
  policy: unknown;
  /** Form fields by lower-case name (the `key` with `${filename}` already substituted). */
  fields: ReadonlyMap<string, string>;
  bucket: string;
  fileSize: number;
  nowMs: number;
}

const EXEMPT = new Set(['policy', 'x-amz-signature', 'file']);

const denied = (detail: string) => new S3Error(403, 'AccessDenied', `Invalid according to Policy: ${detail}`);

function conditionText(condition: unknown): string {
  return JSON.stringify(condition).replace(/,/g, ', ');
}

export function checkPostPolicy(input: PolicyInput): void {
  const document = input.policy;
  if (typeof document !== 'object' || document === null)
    throw new S3Error(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
  const expiration = Reflect.get(document, 'expiration');
  const conditions = Reflect.get(document, 'conditions');
  const expiresAt = typeof expiration === 'string' ? Date.parse(expiration) : Number.NaN;
  if (Number.isNaN(expiresAt))
    throw new S3Error(400, 'InvalidPolicyDocument', 'Invalid Policy: Policy missing expiration.');
  if (!Array.isArray(conditions))
    throw new S3Error(400, 'InvalidPolicyDocument', 'Invalid Policy: Policy missing conditions.');
  if (input.nowMs > expiresAt) throw denied('Policy expired.');

  const value = (name: string): string | undefined =>
    name === 'bucket' ? input.bucket : input.fields.get(name);
  const covered = new Set<string>();
  for (const condition of conditions as unknown[]) {
    if (Array.isArray(condition)) {
      const [operator, target, expected, max] = condition as unknown[];
      const op = String(operator).toLowerCase();
      if (op === 'content-length-range') {
        const min = Number(target);
        const maxBytes = Number(expected);
        if (!Number.isFinite(min) || !Number.isFinite(maxBytes))
          throw new S3Error(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid content-length-range.');
        if (input.fileSize > maxBytes)
          throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
            ProposedSize: String(input.fileSize),
            MaxSizeAllowed: String(maxBytes),
          });
        if (input.fileSize < min) throw entityTooSmall(input.fileSize, min);
        continue;
      }
      if (
        typeof target !== 'string' ||
        !target.startsWith('$') ||
        typeof expected !== 'string' ||
        max !== undefined
      )
        throw new S3Error(
          400,
          'InvalidPolicyDocument',
          `Invalid Policy: Invalid Condition: ${conditionText(condition)}`,
        );
      const name = target.slice(1).toLowerCase();
      covered.add(name);
      const actual = value(name);
      const holds =
        op === 'eq'
          ? actual === expected
          : op === 'starts-with'
            ? name === 'content-type'
              ? (actual ?? '').split(',').every((part) => part.trim().startsWith(expected))
              : expected === '' || (actual ?? '').startsWith(expected)
            : undefined;
      if (holds === undefined)
        throw new S3Error(
          400,
          'InvalidPolicyDocument',
          `Invalid Policy: Invalid Condition: ${conditionText(condition)}`,
        );
      if (!holds) throw denied(`Policy Condition failed: ${conditionText(condition)}`);
      continue;
    }
    if (typeof condition !== 'object' || condition === null)
      throw new S3Error(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid Simple-Condition.');
    for (const [field, expected] of Object.entries(condition)) {
      const name = field.toLowerCase();
      covered.add(name);
      if (value(name) !== expected)
        throw denied(`Policy Condition failed: ["eq", "$${field}", ${JSON.stringify(expected)}]`);
    }
  }
  const extra = [...input.fields.keys()].filter(
    (name) => !EXEMPT.has(name) && !name.startsWith('x-ignore-') && !covered.has(name),
  );
  if (extra.length > 0) throw denied(`Extra input fields: ${extra.join(', ')}`);
}
