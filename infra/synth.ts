import { App } from 'aws-cdk-lib';
import { IndeksStack, type IndeksStackProps } from './stack';

export const STACK_NAME = 'Indeks';

export interface CreateAppOptions {
  /** Bundle the Lambda code with esbuild (slow); off for tests and the local runtime. */
  bundle?: boolean;
  /** CDK's built-in CloudFormation schema validation at synth (~15 s); on for `cdk synth`. */
  cfnValidation?: boolean;
  /** Extra CDK context. */
  context?: Record<string, unknown>;
  outdir?: string;
  stackProps?: IndeksStackProps;
}

/**
 * Builds the app exactly as `cdk synth` does (same constructs, same logical ids), without nag
 * plugins: tests run the packs themselves (`pack.validateScope`), and infra/app.ts adds them.
 */
export function createApp(options: CreateAppOptions = {}): { app: App; stack: IndeksStack } {
  const context: Record<string, unknown> = {
    'aws:cdk:enable-path-metadata': true,
    // Access-log delivery through a bucket policy (required with BucketOwnerEnforced ownership).
    '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
    // Render Distributed Map's `resultWriterV2` (with the narrowed runs/ policy).
    '@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2': true,
    ...(options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
    ...options.context,
  };
  const app = new App({
    context,
    builtinCloudFormationValidation: options.cfnValidation ?? true,
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const stack = new IndeksStack(app, STACK_NAME, { ...stackPropsFromContext(app), ...options.stackProps });
  return { app, stack };
}

/**
 * Deployment settings from context: `-c indeks:allowedOrigins=https://a,https://b -c indeks:alarmEmail=x@y
 * -c indeks:surveyClientLimit=600 -c indeks:signInDomainPrefix=indeks-kemendagri` (survey: requests per client
 * per minute on the public form; sign-in: the Cognito hosted UI domain prefix).
 */
export function stackPropsFromContext(app: App): IndeksStackProps {
  const origins = app.node.tryGetContext('indeks:allowedOrigins');
  const email = app.node.tryGetContext('indeks:alarmEmail');
  const limit = app.node.tryGetContext('indeks:surveyClientLimit');
  const surveyClientLimit = limit === undefined || limit === '' ? undefined : Number(limit);
  if (surveyClientLimit !== undefined && !(Number.isInteger(surveyClientLimit) && surveyClientLimit >= 1))
    throw new Error(`indeks:surveyClientLimit="${limit}" must be a whole number of at least 1`);
  const prefix = app.node.tryGetContext('indeks:signInDomainPrefix');
  return {
    ...(typeof prefix === 'string' && prefix ? { signInDomainPrefix: prefix } : {}),
    allowedOrigins:
      typeof origins === 'string'
        ? origins
            .split(',')
            .map((o) => o.trim())
            .filter(Boolean)
        : undefined,
    alarmEmail: typeof email === 'string' && email ? email : undefined,
    ...(surveyClientLimit !== undefined ? { surveyClientLimit } : {}),
  };
}

export interface SynthesizedTemplate {
  stackName: string;
  /** The CloudFormation template (Resources, Outputs, Metadata …) as plain JSON. */
  template: Record<string, unknown>;
}

/**
 * Synthesizes the stack without bundling and returns its template: for tests and for the local
 * runtime (tables, buckets, state machine definitions, function environments, `indeks:entry`).
 */
export function synthesizeTemplate(options: Omit<CreateAppOptions, 'bundle'> = {}): SynthesizedTemplate {
  const { app, stack } = createApp({ cfnValidation: false, ...options, bundle: false });
  const assembly = app.synth();
  const artifact = assembly.getStackArtifact(stack.artifactId);
  return { stackName: stack.stackName, template: artifact.template as Record<string, unknown> };
}
