import { isJsonObject, type Json, type JsonObject } from '../json';

/** Values the resolver needs from outside the template: pseudo parameters and physical names. */
export interface ResolveContext {
  region: string;
  accountId: string;
  partition: string;
  stackName: string;
  stackId: string;
  urlSuffix: string;
  /** Physical value of `Ref` to a resource, or undefined when the resource does not exist. */
  ref(logicalId: string): string | undefined;
  /** Value of `Fn::GetAtt`; throws for an attribute the local runtime does not know. */
  getAtt(logicalId: string, attribute: string): string | undefined;
}

export class UnresolvableError extends Error {
  constructor(
    readonly at: string,
    detail: string,
  ) {
    super(`${at}: ${detail}`);
    this.name = 'UnresolvableError';
  }
}

/**
 * Resolves CloudFormation intrinsic functions into plain JSON: Ref (resources and pseudo
 * parameters), Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::Base64. Anything else
 * (conditions, imports, AZs) throws, so a template the local runtime cannot reproduce fails loudly
 * at start instead of running with a guessed value.
 */
export function resolveValue(value: Json, context: ResolveContext, at = '$'): Json {
  if (Array.isArray(value)) return value.map((item, i) => resolveValue(item, context, `${at}[${i}]`));
  if (!isJsonObject(value)) return value;
  const keys = Object.keys(value);
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only === 'Ref') return resolveRef(value.Ref ?? null, context, at);
  if (only?.startsWith('Fn::')) return resolveFunction(only, value[only] ?? null, context, `${at}.${only}`);
  const out: JsonObject = {};
  for (const key of keys) out[key] = resolveValue(value[key] ?? null, context, `${at}.${key}`);
  return out;
}

export function resolveString(value: Json, context: ResolveContext, at = '$'): string {
  const resolved = resolveValue(value, context, at);
  if (typeof resolved !== 'string')
    throw new UnresolvableError(at, `expected a string, got ${JSON.stringify(resolved)}`);
  return resolved;
}

function pseudo(name: string, context: ResolveContext): string | undefined {
  switch (name) {
    case 'AWS::Region':
      return context.region;
    case 'AWS::AccountId':
      return context.accountId;
    case 'AWS::Partition':
      return context.partition;
    case 'AWS::StackName':
      return context.stackName;
    case 'AWS::StackId':
      return context.stackId;
    case 'AWS::URLSuffix':
      return context.urlSuffix;
    case 'AWS::NoValue':
      return undefined;
    default:
      return undefined;
  }
}

function resolveRef(target: Json, context: ResolveContext, at: string): string {
  if (typeof target !== 'string') throw new UnresolvableError(at, 'Ref needs a name');
  const value = target.startsWith('AWS::') ? pseudo(target, context) : context.ref(target);
  if (value === undefined) throw new UnresolvableError(at, `cannot resolve Ref ${target}`);
  return value;
}

function resolveGetAtt(args: Json, context: ResolveContext, at: string): string {
  const parts =
    typeof args === 'string'
      ? [args.slice(0, args.indexOf('.')), args.slice(args.indexOf('.') + 1)]
      : Array.isArray(args)
        ? args.map((a, i) => resolveValue(a, context, `${at}[${i}]`))
        : [];
  const [logicalId, attribute] = parts;
  if (typeof logicalId !== 'string' || typeof attribute !== 'string' || !logicalId || !attribute) {
    throw new UnresolvableError(at, `malformed Fn::GetAtt ${JSON.stringify(args)}`);
  }
  const value = context.getAtt(logicalId, attribute);
  if (value === undefined)
    throw new UnresolvableError(at, `cannot resolve Fn::GetAtt ${logicalId}.${attribute}`);
  return value;
}

function asString(value: Json, at: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new UnresolvableError(at, `expected a string, got ${JSON.stringify(value)}`);
}

function resolveSub(args: Json, context: ResolveContext, at: string): string {
  const [template, variables] = Array.isArray(args) ? [args[0], args[1]] : [args, undefined];
  if (typeof template !== 'string') throw new UnresolvableError(at, 'Fn::Sub needs a string');
  const vars: Record<string, string> = {};
  if (isJsonObject(variables)) {
    for (const [name, v] of Object.entries(variables))
      vars[name] = asString(resolveValue(v, context, `${at}.${name}`), at);
  }
  return template.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    const own = vars[name];
    if (own !== undefined) return own;
    if (name.includes('.')) {
      const dot = name.indexOf('.');
      return resolveGetAtt([name.slice(0, dot), name.slice(dot + 1)], context, `${at}:${whole}`);
    }
    return resolveRef(name, context, `${at}:${whole}`);
  });
}

function resolveFunction(name: string, args: Json, context: ResolveContext, at: string): Json {
  switch (name) {
    case 'Fn::GetAtt':
      return resolveGetAtt(args, context, at);
    case 'Fn::Join': {
      if (!Array.isArray(args) || typeof args[0] !== 'string')
        throw new UnresolvableError(at, 'malformed Fn::Join');
      const list = resolveValue(args[1] ?? null, context, `${at}[1]`);
      if (!Array.isArray(list)) throw new UnresolvableError(at, 'Fn::Join needs a list');
      return list.map((item, i) => asString(item, `${at}[1][${i}]`)).join(args[0]);
    }
    case 'Fn::Sub':
      return resolveSub(args, context, at);
    case 'Fn::Select': {
      if (!Array.isArray(args)) throw new UnresolvableError(at, 'malformed Fn::Select');
      const index = Number(resolveValue(args[0] ?? null, context, `${at}[0]`));
      const list = resolveValue(args[1] ?? null, context, `${at}[1]`);
      if (!Array.isArray(list) || !Number.isInteger(index) || list[index] === undefined) {
        throw new UnresolvableError(at, 'Fn::Select index out of range');
      }
      return list[index] ?? null;
    }
    case 'Fn::Split': {
      if (!Array.isArray(args) || typeof args[0] !== 'string')
        throw new UnresolvableError(at, 'malformed Fn::Split');
      return asString(resolveValue(args[1] ?? null, context, `${at}[1]`), at).split(args[0]);
    }
    case 'Fn::Base64':
      return Buffer.from(asString(resolveValue(args, context, at), at)).toString('base64');
    default:
      throw new UnresolvableError(at, `${name} is not supported by the local runtime`);
  }
}
