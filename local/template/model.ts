import * as z from 'zod';
import { isJsonObject, type Json, type JsonObject } from '../json';
import { PhysicalNames, resourcesOf, type TemplateResource } from './names';
import { type ResolveContext, resolveValue } from './resolve';

/** Metadata key naming a function's entry file (set by infra/constructs/house-function.ts). */
export const ENTRY_METADATA = 'indeks:entry';

const keySchema = z.array(z.object({ AttributeName: z.string(), KeyType: z.enum(['HASH', 'RANGE']) }));
const index = z.object({
  IndexName: z.string(),
  KeySchema: keySchema,
  Projection: z.object({
    ProjectionType: z.enum(['ALL', 'KEYS_ONLY', 'INCLUDE']).optional(),
    NonKeyAttributes: z.array(z.string()).optional(),
  }),
});
const tableProps = z.object({
  AttributeDefinitions: z.array(
    z.object({ AttributeName: z.string(), AttributeType: z.enum(['S', 'N', 'B']) }),
  ),
  KeySchema: keySchema,
  GlobalSecondaryIndexes: z.array(index).optional(),
  LocalSecondaryIndexes: z.array(index).optional(),
  TimeToLiveSpecification: z
    .object({ AttributeName: z.string().optional(), Enabled: z.boolean() })
    .optional(),
});
export type TableProperties = z.infer<typeof tableProps>;

const corsRule = z.object({
  AllowedHeaders: z.array(z.string()).optional(),
  AllowedMethods: z.array(z.string()),
  AllowedOrigins: z.array(z.string()),
  ExposedHeaders: z.array(z.string()).optional(),
  MaxAge: z.number().optional(),
});
const bucketProps = z.object({
  CorsConfiguration: z.object({ CorsRules: z.array(corsRule) }).optional(),
  VersioningConfiguration: z.object({ Status: z.string() }).optional(),
  NotificationConfiguration: z
    .object({ EventBridgeConfiguration: z.object({ EventBridgeEnabled: z.boolean().optional() }).optional() })
    .optional(),
});
export type CorsRule = z.infer<typeof corsRule>;

const functionProps = z.object({
  Environment: z.object({ Variables: z.record(z.string(), z.string()).optional() }).optional(),
  Timeout: z.number().optional(),
  MemorySize: z.number().optional(),
  Runtime: z.string().optional(),
  LoggingConfig: z
    .object({
      LogFormat: z.string().optional(),
      ApplicationLogLevel: z.string().optional(),
      LogGroup: z.string().optional(),
    })
    .optional(),
});

const eventInvokeConfigProps = z.object({
  FunctionName: z.string(),
  MaximumRetryAttempts: z.number().optional(),
  MaximumEventAgeInSeconds: z.number().optional(),
  DestinationConfig: z.object({ OnFailure: z.object({ Destination: z.string() }).optional() }).optional(),
});

const retryPolicy = z.object({
  MaximumRetryAttempts: z.number().optional(),
  MaximumEventAgeInSeconds: z.number().optional(),
});
const ruleProps = z.object({
  Name: z.string().optional(),
  EventBusName: z.string().optional(),
  EventPattern: z.record(z.string(), z.unknown()),
  State: z.string().optional(),
  Targets: z
    .array(
      z.object({
        Id: z.string(),
        Arn: z.string(),
        Input: z.string().optional(),
        RetryPolicy: retryPolicy.optional(),
        DeadLetterConfig: z.object({ Arn: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});

const scheduleProps = z.object({
  Name: z.string().optional(),
  GroupName: z.string().optional(),
  Description: z.string().optional(),
  ScheduleExpression: z.string(),
  ScheduleExpressionTimezone: z.string().optional(),
  StartDate: z.string().optional(),
  EndDate: z.string().optional(),
  State: z.string().optional(),
  FlexibleTimeWindow: z.object({ Mode: z.string(), MaximumWindowInMinutes: z.number().optional() }),
  Target: z.object({
    Arn: z.string(),
    RoleArn: z.string(),
    Input: z.string().optional(),
    RetryPolicy: retryPolicy.optional(),
    DeadLetterConfig: z.object({ Arn: z.string().optional() }).optional(),
  }),
});
export type ScheduleProperties = z.infer<typeof scheduleProps>;

const routeProps = z.object({
  ApiId: z.string(),
  RouteKey: z.string(),
  AuthorizationType: z.string().optional(),
  AuthorizerId: z.string().optional(),
  AuthorizationScopes: z.array(z.string()).optional(),
  Target: z.string().optional(),
});
const integrationProps = z.object({
  IntegrationType: z.string(),
  IntegrationUri: z.string(),
  PayloadFormatVersion: z.string().optional(),
  TimeoutInMillis: z.number().optional(),
});
const authorizerProps = z.object({
  AuthorizerType: z.string(),
  IdentitySource: z.array(z.string()).optional(),
  JwtConfiguration: z
    .object({ Audience: z.array(z.string()).optional(), Issuer: z.string().optional() })
    .optional(),
});
const apiProps = z.object({
  ProtocolType: z.string().optional(),
  CorsConfiguration: z
    .object({
      AllowOrigins: z.array(z.string()).optional(),
      AllowMethods: z.array(z.string()).optional(),
      AllowHeaders: z.array(z.string()).optional(),
      ExposeHeaders: z.array(z.string()).optional(),
      AllowCredentials: z.boolean().optional(),
      MaxAge: z.number().optional(),
    })
    .optional(),
});
export type CorsConfiguration = NonNullable<z.infer<typeof apiProps>['CorsConfiguration']>;

export interface TableSpec {
  logicalId: string;
  name: string;
  properties: TableProperties;
}
export interface BucketSpec {
  logicalId: string;
  name: string;
  cors: CorsRule[];
  versioned: boolean;
  eventBridge: boolean;
}
export interface FunctionSpec {
  logicalId: string;
  name: string;
  arn: string;
  /** Entry file relative to the project root (`functions/x.ts`), from the function's metadata. */
  entry: string | undefined;
  /** The construct path (`Indeks/Api/ApiCycles/Function/Resource`), for messages. */
  path: string | undefined;
  environment: Record<string, string>;
  timeoutSeconds: number;
  memorySize: number;
  logFormat: string | undefined;
  logLevel: string | undefined;
  logGroup: string | undefined;
  async: { maximumRetryAttempts: number; maximumEventAgeSeconds: number; onFailure: string | undefined };
}
export interface StateMachineSpec {
  logicalId: string;
  name: string;
  arn: string;
  type: string;
  definition: JsonObject;
}
export interface RuleSpec {
  logicalId: string;
  name: string;
  arn: string;
  eventBusName: string;
  enabled: boolean;
  pattern: JsonObject;
  targets: {
    id: string;
    arn: string;
    input: string | undefined;
    maximumRetryAttempts: number;
    maximumEventAgeSeconds: number;
    deadLetterArn: string | undefined;
  }[];
}
export interface ScheduleSpec {
  logicalId: string;
  name: string;
  groupName: string;
  properties: ScheduleProperties;
}
export interface RouteSpec {
  logicalId: string;
  apiId: string;
  routeKey: string;
  /** Target Lambda ARN of the route's AWS_PROXY integration. */
  functionArn: string;
  payloadFormatVersion: string;
  timeoutMs: number;
  authorizer: JwtAuthorizerSpec | undefined;
  scopes: string[];
}
export interface JwtAuthorizerSpec {
  logicalId: string;
  issuer: string;
  audience: string[];
  identitySource: string[];
}
export interface HttpApiSpec {
  logicalId: string;
  apiId: string;
  cors: CorsConfiguration | undefined;
  routes: RouteSpec[];
}

function parse<T>(schema: z.ZodType<T>, value: Json, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(`${what}: ${z.prettifyError(result.error)}`);
  return result.data;
}

/** Strips a Ref-style `integrations/<id>` route target down to the integration's logical id. */
function findByRef(
  resources: Record<string, TemplateResource>,
  names: PhysicalNames,
  type: string,
  ref: string,
) {
  return Object.keys(resources).find((id) => resources[id]?.Type === type && names.ref(id) === ref);
}

/**
 * A synthesized template seen the way the local runtime needs it: every resource the runtime
 * reproduces, with intrinsic functions resolved against deterministic local names.
 */
export class LocalTemplate {
  readonly resources: Record<string, TemplateResource>;
  readonly names: PhysicalNames;
  readonly context: ResolveContext;

  constructor(
    readonly stackName: string,
    readonly template: JsonObject,
  ) {
    this.resources = resourcesOf(template);
    this.names = new PhysicalNames(this.resources, stackName);
    this.context = this.names.resolveContext();
  }

  get region(): string {
    return this.context.region;
  }
  get accountId(): string {
    return this.context.accountId;
  }

  private ofType(...types: string[]): [string, TemplateResource][] {
    return Object.entries(this.resources).filter(([, r]) => types.includes(r.Type));
  }

  private props(logicalId: string, resource: TemplateResource): Json {
    return resolveValue(resource.Properties ?? {}, this.context, logicalId);
  }

  private name(logicalId: string): string {
    const name = this.names.name(logicalId);
    if (name === undefined) throw new Error(`no resource ${logicalId}`);
    return name;
  }

  private arn(logicalId: string): string {
    const arn = this.names.getAtt(logicalId, 'Arn');
    if (arn === undefined) throw new Error(`no ARN for ${logicalId}`);
    return arn;
  }

  tables(): TableSpec[] {
    return this.ofType('AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable').map(([id, r]) => ({
      logicalId: id,
      name: this.name(id),
      properties: parse(tableProps, this.props(id, r), id),
    }));
  }

  buckets(): BucketSpec[] {
    return this.ofType('AWS::S3::Bucket').map(([id, r]) => {
      const p = parse(bucketProps, this.props(id, r), id);
      return {
        logicalId: id,
        name: this.name(id),
        cors: p.CorsConfiguration?.CorsRules ?? [],
        versioned: p.VersioningConfiguration?.Status === 'Enabled',
        eventBridge: p.NotificationConfiguration?.EventBridgeConfiguration?.EventBridgeEnabled === true,
      };
    });
  }

  functions(): FunctionSpec[] {
    const asyncConfigs = this.ofType('AWS::Lambda::EventInvokeConfig').map(([id, r]) =>
      parse(eventInvokeConfigProps, this.props(id, r), id),
    );
    return this.ofType('AWS::Lambda::Function').map(([id, r]) => {
      const p = parse(functionProps, this.props(id, r), id);
      const name = this.name(id);
      const config = asyncConfigs.find((c) => c.FunctionName === name || c.FunctionName === this.arn(id));
      const entry = r.Metadata?.[ENTRY_METADATA];
      const path = r.Metadata?.['aws:cdk:path'];
      return {
        logicalId: id,
        name,
        arn: this.arn(id),
        entry: typeof entry === 'string' ? entry : undefined,
        path: typeof path === 'string' ? path : undefined,
        environment: p.Environment?.Variables ?? {},
        timeoutSeconds: p.Timeout ?? 3,
        memorySize: p.MemorySize ?? 128,
        logFormat: p.LoggingConfig?.LogFormat,
        logLevel: p.LoggingConfig?.ApplicationLogLevel,
        logGroup: p.LoggingConfig?.LogGroup,
        async: {
          maximumRetryAttempts: config?.MaximumRetryAttempts ?? 2,
          maximumEventAgeSeconds: config?.MaximumEventAgeInSeconds ?? 21600,
          onFailure: config?.DestinationConfig?.OnFailure?.Destination,
        },
      };
    });
  }

  stateMachines(): StateMachineSpec[] {
    return this.ofType('AWS::StepFunctions::StateMachine').map(([id, r]) => {
      const p = r.Properties ?? {};
      const raw = p.DefinitionString ?? p.Definition;
      if (raw === undefined)
        throw new Error(`${id}: no DefinitionString (DefinitionS3Location is not supported locally)`);
      const resolved = resolveValue(raw, this.context, `${id}.DefinitionString`);
      const definition: unknown = typeof resolved === 'string' ? JSON.parse(resolved) : resolved;
      if (!isJsonObject(definition)) throw new Error(`${id}: the definition is not a JSON object`);
      const type = typeof p.StateMachineType === 'string' ? p.StateMachineType : 'STANDARD';
      return { logicalId: id, name: this.name(id), arn: this.arn(id), type, definition };
    });
  }

  rules(): RuleSpec[] {
    return this.ofType('AWS::Events::Rule').map(([id, r]) => {
      const p = parse(ruleProps, this.props(id, r), id);
      const pattern = resolveValue(r.Properties?.EventPattern ?? {}, this.context, `${id}.EventPattern`);
      if (!isJsonObject(pattern)) throw new Error(`${id}: EventPattern is not an object`);
      return {
        logicalId: id,
        name: this.name(id),
        arn: this.arn(id),
        eventBusName: p.EventBusName ?? 'default',
        enabled: (p.State ?? 'ENABLED') === 'ENABLED',
        pattern,
        targets: (p.Targets ?? []).map((t) => ({
          id: t.Id,
          arn: t.Arn,
          input: t.Input,
          maximumRetryAttempts: t.RetryPolicy?.MaximumRetryAttempts ?? 185,
          maximumEventAgeSeconds: t.RetryPolicy?.MaximumEventAgeInSeconds ?? 86400,
          deadLetterArn: t.DeadLetterConfig?.Arn,
        })),
      };
    });
  }

  scheduleGroups(): string[] {
    return this.ofType('AWS::Scheduler::ScheduleGroup').map(([id]) => this.name(id));
  }

  schedules(): ScheduleSpec[] {
    return this.ofType('AWS::Scheduler::Schedule').map(([id, r]) => {
      const p = parse(scheduleProps, this.props(id, r), id);
      return { logicalId: id, name: p.Name ?? id, groupName: p.GroupName ?? 'default', properties: p };
    });
  }

  httpApis(): HttpApiSpec[] {
    const authorizers = new Map<string, JwtAuthorizerSpec>();
    for (const [id, r] of this.ofType('AWS::ApiGatewayV2::Authorizer')) {
      const p = parse(authorizerProps, this.props(id, r), id);
      if (p.AuthorizerType !== 'JWT') throw new Error(`${id}: only JWT authorizers are supported locally`);
      authorizers.set(id, {
        logicalId: id,
        issuer: p.JwtConfiguration?.Issuer ?? '',
        audience: p.JwtConfiguration?.Audience ?? [],
        identitySource: p.IdentitySource ?? ['$request.header.Authorization'],
      });
    }
    return this.ofType('AWS::ApiGatewayV2::Api').map(([apiLogicalId, api]) => {
      const apiId = this.names.ref(apiLogicalId) ?? apiLogicalId;
      const p = parse(apiProps, this.props(apiLogicalId, api), apiLogicalId);
      if (p.ProtocolType && p.ProtocolType !== 'HTTP')
        throw new Error(`${apiLogicalId}: only HTTP APIs are supported locally`);
      const routes: RouteSpec[] = [];
      for (const [id, r] of this.ofType('AWS::ApiGatewayV2::Route')) {
        const route = parse(routeProps, this.props(id, r), id);
        if (route.ApiId !== apiId) continue;
        const integrationRef = route.Target?.replace(/^integrations\//, '');
        const integrationId =
          integrationRef &&
          findByRef(this.resources, this.names, 'AWS::ApiGatewayV2::Integration', integrationRef);
        const integrationResource = integrationId ? this.resources[integrationId] : undefined;
        if (!integrationId || !integrationResource)
          throw new Error(`${id}: route ${route.RouteKey} has no integration`);
        const integration = parse(
          integrationProps,
          this.props(integrationId, integrationResource),
          integrationId,
        );
        if (integration.IntegrationType !== 'AWS_PROXY') {
          throw new Error(`${integrationId}: only Lambda proxy integrations are supported locally`);
        }
        const authorizerId =
          route.AuthorizationType === 'JWT' && route.AuthorizerId
            ? findByRef(this.resources, this.names, 'AWS::ApiGatewayV2::Authorizer', route.AuthorizerId)
            : undefined;
        if (route.AuthorizationType && !['NONE', 'JWT'].includes(route.AuthorizationType)) {
          throw new Error(`${id}: authorization ${route.AuthorizationType} is not supported locally`);
        }
        routes.push({
          logicalId: id,
          apiId,
          routeKey: route.RouteKey,
          functionArn: integration.IntegrationUri,
          payloadFormatVersion: integration.PayloadFormatVersion ?? '2.0',
          timeoutMs: integration.TimeoutInMillis ?? 30_000,
          authorizer: authorizerId ? authorizers.get(authorizerId) : undefined,
          scopes: route.AuthorizationScopes ?? [],
        });
      }
      return { logicalId: apiLogicalId, apiId, cors: p.CorsConfiguration, routes };
    });
  }
}
