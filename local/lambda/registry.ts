import type { FunctionSpec } from '../template/model';

/**
 * Finds a function the way Lambda's Invoke does: by name, full ARN, partial ARN
 * (`123456789012:function:name`), each optionally with a version or alias qualifier; and, for
 * local use, by entry file (`functions/x.ts`) or logical id.
 */
export class FunctionRegistry {
  private readonly byName = new Map<string, FunctionSpec>();

  constructor(readonly functions: readonly FunctionSpec[]) {
    for (const fn of functions) this.byName.set(fn.name, fn);
  }

  find(reference: string): FunctionSpec | undefined {
    const byOther = this.functions.find((f) => f.entry === reference || f.logicalId === reference);
    if (byOther) return byOther;
    const match =
      /^(?:arn:[^:]+:lambda:[^:]*:)?(?:\d{12}:)?(?:function:)?([A-Za-z0-9_-]+)(?::[$A-Za-z0-9_-]+)?$/.exec(
        reference,
      );
    return match?.[1] ? this.byName.get(match[1]) : undefined;
  }

  get(reference: string): FunctionSpec {
    const fn = this.find(reference);
    if (!fn) throw new Error(`no function ${reference} in the template`);
    return fn;
  }
}
