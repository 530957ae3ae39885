import { createHash } from 'node:crypto';
import { isJsonObject, type Json, type JsonObject } from '../json';
import type { ResolveContext } from './resolve';

/** The local "account" everything lives in; the region is Jakarta, where a ministry would deploy. */
export const LOCAL_ACCOUNT = {
  region: 'ap-southeast-3',
  accountId: '000000000000',
  partition: 'aws',
  urlSuffix: 'amazonaws.com',
} as const;

export interface TemplateResource {
  Type: string;
  Properties?: JsonObject;
  Metadata?: JsonObject;
}

const hash = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

/** Cognito-style client id: 26 lowercase alphanumerics, stable for a logical id. */
const clientId = (logicalId: string) =>
  BigInt(`0x${hash(logicalId, 40)}`)
    .toString(36)
    .padStart(26, '0')
    .slice(0, 26);

function literal(properties: JsonObject | undefined, key: string): string | undefined {
  const value = properties?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** S3 bucket names: lower case, 3–63 of [a-z0-9.-]. */
function bucketName(stackName: string, logicalId: string): string {
  return `${stackName}-${logicalId}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63);
}

/**
 * Deterministic physical names and ARNs for a template's resources, so that Ref and Fn::GetAtt
 * resolve the same way at every start (names are what CloudFormation would generate, minus the
 * random suffix: `<stack>-<logicalId>`), and data persisted under the data folder stays reachable.
 */
export class PhysicalNames {
  constructor(
    private readonly resources: Record<string, TemplateResource>,
    readonly stackName: string,
    readonly account: typeof LOCAL_ACCOUNT = LOCAL_ACCOUNT,
  ) {}

  private arn(
    service: string,
    resource: string,
    region: string = this.account.region,
    account: string = this.account.accountId,
  ) {
    return `arn:${this.account.partition}:${service}:${region}:${account}:${resource}`;
  }

  /** Name a resource of this type gets: its declared name when literal, else `<stack>-<logicalId>`. */
  name(logicalId: string): string | undefined {
    const resource = this.resources[logicalId];
    if (!resource) return undefined;
    const p = resource.Properties;
    const generated = `${this.stackName}-${logicalId}`;
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        return literal(p, 'TableName') ?? generated;
      case 'AWS::S3::Bucket':
        return literal(p, 'BucketName') ?? bucketName(this.stackName, logicalId);
      case 'AWS::Lambda::Function':
        return (literal(p, 'FunctionName') ?? generated).slice(0, 64);
      case 'AWS::StepFunctions::StateMachine':
        return literal(p, 'StateMachineName') ?? logicalId;
      case 'AWS::IAM::Role':
        return (literal(p, 'RoleName') ?? generated).slice(0, 64);
      case 'AWS::SQS::Queue':
        return literal(p, 'QueueName') ?? generated;
      case 'AWS::SNS::Topic':
        return literal(p, 'TopicName') ?? generated;
      case 'AWS::Logs::LogGroup':
        return literal(p, 'LogGroupName') ?? `/local/${generated}`;
      case 'AWS::Events::Rule':
        return literal(p, 'Name') ?? generated;
      case 'AWS::Scheduler::ScheduleGroup':
      case 'AWS::Scheduler::Schedule':
        return literal(p, 'Name') ?? generated;
      case 'AWS::Cognito::UserPool':
        return `${this.account.region}_${hash(logicalId, 9)}`;
      case 'AWS::Cognito::UserPoolClient':
        return clientId(logicalId);
      default:
        return generated;
    }
  }

  ref(logicalId: string): string | undefined {
    const resource = this.resources[logicalId];
    const name = this.name(logicalId);
    if (!resource || name === undefined) return undefined;
    switch (resource.Type) {
      case 'AWS::StepFunctions::StateMachine':
      case 'AWS::SNS::Topic':
      case 'AWS::KMS::Key':
        return this.getAtt(logicalId, resource.Type === 'AWS::KMS::Key' ? 'KeyId' : 'Arn');
      case 'AWS::SQS::Queue':
        return `https://sqs.${this.account.region}.${this.account.urlSuffix}/${this.account.accountId}/${name}`;
      case 'AWS::ApiGatewayV2::Api':
      case 'AWS::ApiGatewayV2::Authorizer':
      case 'AWS::ApiGatewayV2::Integration':
      case 'AWS::ApiGatewayV2::Route':
      case 'AWS::ApiGatewayV2::Stage':
        return hash(logicalId, 10);
      default:
        return name;
    }
  }

  getAtt(logicalId: string, attribute: string): string | undefined {
    const resource = this.resources[logicalId];
    const name = this.name(logicalId);
    if (!resource || name === undefined) return undefined;
    const { region } = this.account;
    const key = `${resource.Type}.${attribute}`;
    switch (key) {
      case 'AWS::DynamoDB::Table.Arn':
      case 'AWS::DynamoDB::GlobalTable.Arn':
        return this.arn('dynamodb', `table/${name}`);
      case 'AWS::S3::Bucket.Arn':
        return `arn:${this.account.partition}:s3:::${name}`;
      case 'AWS::S3::Bucket.DomainName':
        return `${name}.s3.${this.account.urlSuffix}`;
      case 'AWS::S3::Bucket.RegionalDomainName':
        return `${name}.s3.${region}.${this.account.urlSuffix}`;
      case 'AWS::Lambda::Function.Arn':
        return this.arn('lambda', `function:${name}`);
      case 'AWS::StepFunctions::StateMachine.Arn':
        return this.arn('states', `stateMachine:${name}`);
      case 'AWS::StepFunctions::StateMachine.Name':
        return name;
      case 'AWS::IAM::Role.Arn':
        return this.arn('iam', `role/${name}`, '');
      case 'AWS::IAM::Role.RoleId':
        return `AROA${hash(logicalId, 17).toUpperCase()}`;
      case 'AWS::SQS::Queue.Arn':
        return this.arn('sqs', name);
      case 'AWS::SQS::Queue.QueueName':
        return name;
      case 'AWS::SQS::Queue.QueueUrl':
        return this.ref(logicalId);
      case 'AWS::SNS::Topic.Arn':
      case 'AWS::SNS::Topic.TopicArn':
        return this.arn('sns', name);
      case 'AWS::SNS::Topic.TopicName':
        return name;
      case 'AWS::Logs::LogGroup.Arn':
        return this.arn('logs', `log-group:${name}:*`);
      case 'AWS::Events::Rule.Arn':
        return this.arn('events', `rule/${name}`);
      case 'AWS::Scheduler::ScheduleGroup.Arn':
        return this.arn('scheduler', `schedule-group/${name}`);
      case 'AWS::Scheduler::Schedule.Arn':
        return this.arn('scheduler', `schedule/default/${name}`);
      case 'AWS::Cognito::UserPool.Arn':
        return this.arn('cognito-idp', `userpool/${name}`);
      case 'AWS::Cognito::UserPool.ProviderName':
        return `cognito-idp.${region}.${this.account.urlSuffix}/${name}`;
      case 'AWS::Cognito::UserPool.ProviderURL':
        return `https://cognito-idp.${region}.${this.account.urlSuffix}/${name}`;
      case 'AWS::Cognito::UserPool.UserPoolId':
        return name;
      case 'AWS::KMS::Key.Arn':
        return this.arn('kms', `key/${this.getAtt(logicalId, 'KeyId')}`);
      case 'AWS::KMS::Key.KeyId': {
        const h = hash(logicalId, 32);
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
      }
      case 'AWS::ApiGatewayV2::Api.ApiId':
        return this.ref(logicalId);
      // Never served locally: the runtime points SURVEY_FORM_URL at its own /dashboard/survey/.
      case 'AWS::CloudFront::Distribution.DomainName':
        return `d${hash(logicalId, 13)}.cloudfront.net`;
      case 'AWS::ApiGatewayV2::Api.ApiEndpoint':
        return `https://${this.ref(logicalId)}.execute-api.${region}.${this.account.urlSuffix}`;
      default:
        return undefined;
    }
  }

  resolveContext(): ResolveContext {
    return {
      ...this.account,
      stackName: this.stackName,
      stackId: this.arn('cloudformation', `stack/${this.stackName}/${hash(this.stackName, 8)}-local`),
      ref: (logicalId) => this.ref(logicalId),
      getAtt: (logicalId, attribute) => this.getAtt(logicalId, attribute),
    };
  }
}

export function resourcesOf(template: JsonObject): Record<string, TemplateResource> {
  const resources = template.Resources;
  if (!isJsonObject(resources)) throw new Error('the template has no Resources');
  const out: Record<string, TemplateResource> = {};
  for (const [id, r] of Object.entries(resources)) {
    if (!isJsonObject(r) || typeof r.Type !== 'string') continue;
    out[id] = {
      Type: r.Type,
      ...(isJsonObject(r.Properties) ? { Properties: r.Properties } : {}),
      ...(isJsonObject(r.Metadata) ? { Metadata: r.Metadata } : {}),
    };
  }
  return out;
}

export type { Json };
