import { Template } from 'aws-cdk-lib/assertions';
import { createApp } from '#infra/synth';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

export interface Synthesized {
  template: Template;
  resources: Record<string, CfnResource>;
  /** Logical id of the resource whose `aws:cdk:path` is `Indeks/<path>`. */
  idOf: (path: string) => string;
  /** The resource at `Indeks/<path>`. */
  at: (path: string) => CfnResource;
}

/** Synthesizes the real stack without bundling (context `aws:cdk:bundling-stacks: []`). */
export function synthesize(): Synthesized {
  const { stack } = createApp({ bundle: false, cfnValidation: false });
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, CfnResource>;
  const idOf = (path: string): string => {
    const wanted = `Indeks/${path}`;
    const found = Object.entries(resources).find(([, r]) => r.Metadata?.['aws:cdk:path'] === wanted);
    if (!found) throw new Error(`no resource at ${wanted}`);
    return found[0];
  };
  const at = (path: string): CfnResource => {
    const resource = resources[idOf(path)];
    if (!resource) throw new Error(`no resource at ${path}`);
    return resource;
  };
  return { template, resources, idOf, at };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Turns CloudFormation intrinsics into readable placeholders: `@Ref(X)`, `@GetAtt(X.Arn)`. */
export function placeholder(node: unknown): string {
  if (typeof node === 'string') return node;
  if (isObject(node)) {
    if (typeof node.Ref === 'string') return `@Ref(${node.Ref})`;
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `@GetAtt(${getAtt.join('.')})`;
    const join = node['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, parts] = join as [string, unknown[]];
      return parts.map(placeholder).join(delimiter);
    }
  }
  return `@${JSON.stringify(node).replace(/"/g, "'")}`;
}

/** Parses a state machine's DefinitionString (an Fn::Join with tokens) into ASL JSON. */
export function definitionOf(resource: CfnResource): AslStateMachine {
  const definition = resource.Properties?.DefinitionString;
  return JSON.parse(placeholder(definition)) as AslStateMachine;
}

export interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  ResultPath?: string | null;
  Retry?: {
    ErrorEquals: string[];
    IntervalSeconds?: number;
    MaxAttempts?: number;
    BackoffRate?: number;
    MaxDelaySeconds?: number;
    JitterStrategy?: string;
  }[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
  Choices?: Record<string, unknown>[];
  Default?: string;
  [key: string]: unknown;
}

export interface AslStateMachine {
  StartAt: string;
  QueryLanguage?: string;
  States: Record<string, AslState>;
  [key: string]: unknown;
}

/** Every key anywhere in a JSON value (to prove JSONata-only fields are absent). */
export function allKeys(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) allKeys(v, out);
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      allKeys(v, out);
    }
  }
  return out;
}

export function state(
  machine: AslStateMachine | { States: Record<string, AslState> },
  name: string,
): AslState {
  const found = machine.States[name];
  if (!found) throw new Error(`no state ${name}`);
  return found;
}
