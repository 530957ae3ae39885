import { Stack, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** The rule packs the app is checked against (AwsSolutions, plus Serverless where it fits). */
export function nagPacks(): NagPack[] {
  return [new AwsSolutionsChecks(), new ServerlessChecks()];
}

/** Acknowledges one finding on a construct (and everything under it). A reason is mandatory. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (reason.trim().length < 20) throw new Error(`acknowledgement ${id} needs a real reason`);
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges the IAM5 findings that granting on `resources` (tokens such as
 * `bucket.arnForObjects('submissions/*')`) produces, using cdk-nag's own flattening of references,
 * so each acknowledgement names exactly the scoped wildcard it accepts and nothing wider.
 */
export function acknowledgeWildcardResources(
  scope: IConstruct,
  resources: readonly string[],
  reason: string,
): void {
  const stack = Stack.of(scope);
  for (const resource of resources) {
    const flat = flattenReference(stack.resolve(resource));
    if (flat.includes('*')) acknowledge(scope, `AwsSolutions-IAM5[Resource::${flat}]`, reason);
  }
}

/**
 * Acknowledges every wildcard resource a generated policy (one CDK writes for us, e.g. the
 * Distributed Map policy) contains, each by its exact finding id.
 */
export function acknowledgeWildcardsInPolicy(policy: iam.Policy, reason: string): void {
  const document = Stack.of(policy).resolve(policy.document) as {
    Statement?: { Effect: string; Resource?: unknown }[];
  };
  const resources: string[] = [];
  for (const statement of document.Statement ?? []) {
    if (statement.Effect !== 'Allow') continue;
    for (const resource of Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]) {
      const flat = flattenReference(resource);
      if (flat.includes('*')) resources.push(flat);
    }
  }
  for (const flat of new Set(resources)) acknowledge(policy, `AwsSolutions-IAM5[Resource::${flat}]`, reason);
}

export function acknowledgeWildcardActions(
  scope: IConstruct,
  actions: readonly string[],
  reason: string,
): void {
  for (const action of actions)
    if (action.includes('*')) acknowledge(scope, `AwsSolutions-IAM5[Action::${action}]`, reason);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Same flattening cdk-nag applies to policy resources (Join, Sub, GetAtt, Ref). */
export function flattenReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (isObject(node)) {
    const join = node['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, items] = join as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if (node['Fn::Sub']) return flattenReference(node['Fn::Sub']);
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${flattenReference(getAtt[0])}.${flattenReference(getAtt[1])}>`;
    if (node['Fn::ImportValue']) return flattenReference(node['Fn::ImportValue']);
    if (node.Ref) return `<${flattenReference(node.Ref)}>`;
  }
  return JSON.stringify(node);
}
