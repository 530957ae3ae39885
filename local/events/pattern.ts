import { isJsonObject, type Json, type JsonObject } from '../json';

type Matcher = (value: Json | undefined) => boolean;

export class UnsupportedPatternError extends Error {
  constructor(detail: string) {
    super(`EventBridge pattern: ${detail} is not supported by the local runtime`);
    this.name = 'UnsupportedPatternError';
  }
}

const NUMERIC_OPS: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 's');
}

/** One rule of a leaf array: a literal or a content filter. `undefined` = the field is absent. */
function rule(r: Json): Matcher {
  if (!isJsonObject(r)) return (v) => v !== undefined && v === r;
  const [op, ...rest] = Object.keys(r);
  if (!op || rest.length > 0) throw new UnsupportedPatternError(JSON.stringify(r));
  const arg = r[op] ?? null;
  switch (op) {
    case 'prefix':
    case 'suffix': {
      if (typeof arg !== 'string') throw new UnsupportedPatternError(`${op} ${JSON.stringify(arg)}`);
      return (v) => typeof v === 'string' && (op === 'prefix' ? v.startsWith(arg) : v.endsWith(arg));
    }
    case 'equals-ignore-case': {
      if (typeof arg !== 'string') throw new UnsupportedPatternError(`${op} ${JSON.stringify(arg)}`);
      return (v) => typeof v === 'string' && v.toLowerCase() === arg.toLowerCase();
    }
    case 'wildcard': {
      if (typeof arg !== 'string') throw new UnsupportedPatternError(`${op} ${JSON.stringify(arg)}`);
      const re = wildcard(arg);
      return (v) => typeof v === 'string' && re.test(v);
    }
    case 'exists':
      return (v) => (arg === true ? v !== undefined : v === undefined);
    case 'anything-but': {
      const inner = Array.isArray(arg) ? arg.map(rule) : isJsonObject(arg) ? [rule(arg)] : [rule(arg)];
      return (v) => v !== undefined && !inner.some((m) => m(v));
    }
    case 'numeric': {
      if (!Array.isArray(arg) || arg.length % 2 !== 0)
        throw new UnsupportedPatternError(`numeric ${JSON.stringify(arg)}`);
      const checks: ((n: number) => boolean)[] = [];
      for (let i = 0; i < arg.length; i += 2) {
        const compare = NUMERIC_OPS[String(arg[i])];
        const bound = arg[i + 1];
        if (!compare || typeof bound !== 'number')
          throw new UnsupportedPatternError(`numeric ${JSON.stringify(arg)}`);
        checks.push((n) => compare(n, bound));
      }
      return (v) => typeof v === 'number' && checks.every((c) => c(v));
    }
    default:
      throw new UnsupportedPatternError(op);
  }
}

function compileObject(pattern: JsonObject): (event: Json | undefined) => boolean {
  const parts: ((event: JsonObject | undefined) => boolean)[] = [];
  for (const [key, value] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(value)) throw new UnsupportedPatternError('$or without a list');
      const branches = value.map((b) => {
        if (!isJsonObject(b)) throw new UnsupportedPatternError('$or branch');
        return compileObject(b);
      });
      parts.push((event) => branches.some((b) => b(event)));
    } else if (Array.isArray(value)) {
      const rules = value.map(rule);
      parts.push((event) => {
        const field = event?.[key];
        // An array in the event matches when any of its elements does.
        const candidates = Array.isArray(field) ? field : [field];
        return candidates.some((c) => rules.some((r) => r(c)));
      });
    } else if (isJsonObject(value)) {
      const nested = compileObject(value);
      parts.push((event) => nested(event?.[key]));
    } else {
      throw new UnsupportedPatternError(`${key}: ${JSON.stringify(value)}`);
    }
  }
  return (event) => {
    const object = event !== undefined && isJsonObject(event) ? event : undefined;
    return parts.every((p) => p(object));
  };
}

/** Compiles an EventBridge event pattern; throws at load time for operators it cannot evaluate. */
export function compilePattern(pattern: JsonObject): (event: Json) => boolean {
  return compileObject(pattern);
}
