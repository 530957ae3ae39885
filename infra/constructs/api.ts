import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FUNCTIONS, type FunctionKey } from '../functions';
import { gitCommit } from '../git-commit';
import { acknowledge } from '../nag';
import type { Auth } from './auth';
import { HouseFunction } from './house-function';
import type { Monitoring } from './monitoring';
import { CYCLE_SCHEDULE_ACTIONS, type CycleSchedules } from './schedules';
import { PREFIX, type Storage } from './storage';

type ApiFunctionKey = Extract<
  FunctionKey,
  | 'requestUpload'
  | 'apiCycles'
  | 'apiSubmissions'
  | 'apiResults'
  | 'apiBundle'
  | 'sweepSubmissions'
  | 'apiSurvey'
  | 'surveyForm'
  | 'apiVerification'
>;

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  function: ApiFunctionKey;
  /** Public routes skip the JWT authorizer. */
  public?: boolean;
}

/** Every route of the HTTP API and the handler behind it. Authorization by group/region is in the handlers. */
export const ROUTES: readonly RouteSpec[] = [
  { method: 'POST', path: '/cycles/{cycleId}/regions/{kode}/uploads', function: 'requestUpload' },
  { method: 'GET', path: '/cycles', function: 'apiCycles' },
  { method: 'POST', path: '/cycles', function: 'apiCycles' },
  { method: 'GET', path: '/cycles/{cycleId}', function: 'apiCycles' },
  { method: 'PUT', path: '/cycles/{cycleId}/calendar', function: 'apiCycles' },
  { method: 'POST', path: '/cycles/{cycleId}/runs', function: 'apiCycles' },
  { method: 'POST', path: '/cycles/{cycleId}/runs/{runId}/publish', function: 'apiCycles' },
  { method: 'GET', path: '/cycles/{cycleId}/ledger', function: 'apiCycles' },
  { method: 'GET', path: '/cycles/{cycleId}/template', function: 'apiCycles' },
  { method: 'GET', path: '/openapi.json', function: 'apiCycles', public: true },
  { method: 'GET', path: '/health', function: 'apiCycles', public: true },
  { method: 'GET', path: '/cycles/{cycleId}/regions/{kode}/submissions', function: 'apiSubmissions' },
  {
    method: 'GET',
    path: '/cycles/{cycleId}/regions/{kode}/submissions/{submissionId}',
    function: 'apiSubmissions',
  },
  { method: 'GET', path: '/cycles/{cycleId}/provinces/{kode}/completeness', function: 'apiSubmissions' },
  { method: 'POST', path: '/cycles/{cycleId}/submissions/redrive', function: 'sweepSubmissions' },
  { method: 'GET', path: '/cycles/{cycleId}/submissions/not-admitted', function: 'apiSubmissions' },
  { method: 'GET', path: '/cycles/{cycleId}/rankings', function: 'apiResults' },
  { method: 'GET', path: '/cycles/{cycleId}/regions/{kode}', function: 'apiResults' },
  { method: 'GET', path: '/cycles/{cycleId}/regions/{kode}/advice', function: 'apiResults' },
  { method: 'GET', path: '/cycles/{cycleId}/summary', function: 'apiResults' },
  { method: 'GET', path: '/regions/{kode}/history', function: 'apiResults' },
  { method: 'GET', path: '/cycles/{cycleId}/runs/{runId}/bundle', function: 'apiBundle' },
  { method: 'GET', path: '/cycles/{cycleId}/regions/{kode}/survey', function: 'apiSurvey' },
  { method: 'PUT', path: '/cycles/{cycleId}/regions/{kode}/survey/respondents', function: 'apiSurvey' },
  { method: 'POST', path: '/cycles/{cycleId}/regions/{kode}/survey/respondents', function: 'apiSurvey' },
  {
    method: 'POST',
    path: '/cycles/{cycleId}/regions/{kode}/survey/respondents/{respondentId}/removal',
    function: 'apiSurvey',
  },
  { method: 'POST', path: '/cycles/{cycleId}/regions/{kode}/survey/invitations', function: 'apiSurvey' },
  { method: 'PUT', path: '/cycles/{cycleId}/survey/settings', function: 'apiSurvey' },
  { method: 'GET', path: '/cycles/{cycleId}/regions/{kode}/survey/rates', function: 'apiSurvey' },
  { method: 'GET', path: '/cycles/{cycleId}/provinces/{kode}/survey/rates', function: 'apiSurvey' },
  { method: 'GET', path: '/cycles/{cycleId}/regions/{kode}/survey/scores', function: 'apiSurvey' },
  // The survey form: public by design (the one-time code is the key), throttled on its own.
  { method: 'GET', path: '/survey/forms/{code}', function: 'surveyForm', public: true },
  { method: 'POST', path: '/survey/forms/{code}/answers', function: 'surveyForm', public: true },
  // Verification, sanggah and final results (issue 11).
  { method: 'PUT', path: '/cycles/{cycleId}/verification', function: 'apiVerification' },
  { method: 'GET', path: '/cycles/{cycleId}/verification', function: 'apiVerification' },
  { method: 'POST', path: '/cycles/{cycleId}/verification/phase', function: 'apiVerification' },
  { method: 'POST', path: '/cycles/{cycleId}/assignments', function: 'apiVerification' },
  { method: 'GET', path: '/cycles/{cycleId}/assignments', function: 'apiVerification' },
  { method: 'GET', path: '/cycles/{cycleId}/regions/{kode}/answers', function: 'apiVerification' },
  { method: 'POST', path: '/cycles/{cycleId}/regions/{kode}/evidence-links', function: 'apiVerification' },
  { method: 'POST', path: '/cycles/{cycleId}/decisions', function: 'apiVerification' },
  { method: 'GET', path: '/cycles/{cycleId}/agreement', function: 'apiVerification' },
  { method: 'GET', path: '/cycles/{cycleId}/regions/{kode}/verification', function: 'apiVerification' },
  { method: 'POST', path: '/cycles/{cycleId}/regions/{kode}/objections', function: 'apiVerification' },
  { method: 'GET', path: '/cycles/{cycleId}/regions/{kode}/objections', function: 'apiVerification' },
  {
    method: 'POST',
    path: '/cycles/{cycleId}/regions/{kode}/objections/resolutions',
    function: 'apiVerification',
  },
  { method: 'GET', path: '/cycles/{cycleId}/objections', function: 'apiVerification' },
  { method: 'POST', path: '/cycles/{cycleId}/editions', function: 'apiVerification' },
  { method: 'GET', path: '/cycles/{cycleId}/editions', function: 'apiVerification' },
];

/** Default-stage throttling (all routes together). */
export const API_THROTTLE = { rateLimit: 100, burstLimit: 200 } as const;

/**
 * The public survey-form routes get their own, lower stage limits (route settings), so a flood of
 * code guesses cannot use up the API's budget; per-code and per-client limits are in the handler.
 */
export const SURVEY_FORM_THROTTLE = { rateLimit: 20, burstLimit: 40 } as const;

export interface ApiProps {
  storage: Storage;
  monitoring: Monitoring;
  auth: Auth;
  schedules: CycleSchedules;
  /** A re-run of the national assessment is started from the API (admin). */
  nationalStateMachine: sfn.IStateMachine;
  /** Computes a verification phase's results; the phase route starts it. */
  verificationStateMachine: sfn.IStateMachine;
  /** The submission sweeper also serves the admin's redrive route. */
  submissionSweeper: HouseFunction;
  allowedOrigins: string[];
  /** Requests per client per minute on the survey form (SURVEY_CLIENT_LIMIT_PER_MINUTE). */
  surveyClientLimit?: number;
  functionLogRetention: logs.RetentionDays;
  auditLogRetention: logs.RetentionDays;
}

/** HTTP API (API Gateway v2): Cognito JWT authorizer, JSON access logs, default-stage throttling. */
export class Api extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly functions: Record<ApiFunctionKey, HouseFunction>;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { uploads, table } = props.storage;
    const logRetention = props.functionLogRetention;

    const requestUpload = new HouseFunction(this, 'RequestUpload', {
      ...FUNCTIONS.requestUpload,
      logRetention,
    })
      .useTable('TABLE_NAME', table, 'read')
      // Presigned POST is signed with this role: it may only put objects under submissions/.
      .useBucket('UPLOAD_BUCKET', uploads, 'write', `${PREFIX.submissions}*`);

    const apiCycles = new HouseFunction(this, 'ApiCycles', { ...FUNCTIONS.apiCycles, logRetention })
      .useTable('TABLE_NAME', table, 'readWrite')
      .useLockedBucket('LEDGER_BUCKET', props.storage.ledger, 'ledger/*')
      .useScheduleGroup('SCHEDULE_GROUP', props.schedules.group, CYCLE_SCHEDULE_ACTIONS)
      .usePassRole('SCHEDULER_ROLE_ARN', props.schedules.role, 'scheduler.amazonaws.com')
      .useValue('CYCLE_TRANSITION_FUNCTION_ARN', props.schedules.cycleTransition.fn.functionArn)
      .useValue('SCHEDULER_DLQ_ARN', props.monitoring.deadLetters.queueArn)
      .useStateMachine('NATIONAL_STATE_MACHINE_ARN', props.nationalStateMachine, { describe: true });

    const apiSubmissions = new HouseFunction(this, 'ApiSubmissions', {
      ...FUNCTIONS.apiSubmissions,
      logRetention,
    })
      .useTable('TABLE_NAME', table, 'read')
      // Presigned GETs of validation reports and provisional score-card traces.
      .useBucket('UPLOAD_BUCKET', uploads, 'read', `${PREFIX.reports}*`)
      .useBucket('UPLOAD_BUCKET', uploads, 'read', `${PREFIX.scorecards}*`);

    const apiResults = new HouseFunction(this, 'ApiResults', { ...FUNCTIONS.apiResults, logRetention })
      .useTable('TABLE_NAME', table, 'read')
      // Presigned GETs of run traces (how a score was derived).
      .useBucket('UPLOAD_BUCKET', uploads, 'read', `${PREFIX.runs}*`);

    const apiBundle = new HouseFunction(this, 'ApiBundle', { ...FUNCTIONS.apiBundle, logRetention })
      // Runs, cycles, the verification decisions and the ledger, read only.
      .useTable('TABLE_NAME', table, 'read')
      // Reads what the run froze under runs/{c}/{r}/ and writes the run's bundle.zip there.
      .useBucket('UPLOAD_BUCKET', uploads, 'readWrite', `${PREFIX.runs}*`)
      // The code that built a bundle is named in it (code.json).
      .useValue('INDEKS_GIT_COMMIT', gitCommit());

    const apiVerification = new HouseFunction(this, 'ApiVerification', {
      ...FUNCTIONS.apiVerification,
      logRetention,
    })
      .useTable('TABLE_NAME', table, 'readWrite')
      // Canonical submissions (what was scored) and presigned GETs of evidence for assessors.
      .useBucket('UPLOAD_BUCKET', uploads, 'read', `${PREFIX.reports}*`)
      .useBucket('UPLOAD_BUCKET', uploads, 'read', `${PREFIX.submissions}*`)
      .useStateMachine('VERIFICATION_STATE_MACHINE_ARN', props.verificationStateMachine);

    const apiSurvey = new HouseFunction(this, 'ApiSurvey', { ...FUNCTIONS.apiSurvey, logRetention })
      // Respondent lists, invitations (hashes only) and rate reads; never an answer to a caller.
      .useTable('TABLE_NAME', table, 'readWrite');

    const surveyForm = new HouseFunction(this, 'SurveyForm', { ...FUNCTIONS.surveyForm, logRetention })
      // Reads a cycle and an invitation by code hash; one transaction marks it used and puts the answer.
      .useTable('TABLE_NAME', table, 'readWrite');
    // The deployment's per-client limit; without it the handler's strict default (60); a cycle's
    // own setting (admin, with a reason) replaces either.
    if (props.surveyClientLimit !== undefined)
      surveyForm.useValue('SURVEY_CLIENT_LIMIT_PER_MINUTE', String(props.surveyClientLimit));

    this.functions = {
      requestUpload,
      apiCycles,
      apiSubmissions,
      apiResults,
      apiBundle,
      sweepSubmissions: props.submissionSweeper,
      apiSurvey,
      surveyForm,
      apiVerification,
    };

    const authorizer = new HttpUserPoolAuthorizer('CognitoJwt', props.auth.userPool, {
      userPoolClients: [props.auth.client],
      identitySource: ['$request.header.Authorization'],
    });
    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Indeks API',
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
      corsPreflight: {
        allowOrigins: props.allowedOrigins,
        allowMethods: [
          apigw.CorsHttpMethod.GET,
          apigw.CorsHttpMethod.POST,
          apigw.CorsHttpMethod.PUT,
          apigw.CorsHttpMethod.OPTIONS,
        ],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        maxAge: Duration.days(1),
      },
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.auditLogRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sub: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });

    const integrations = new Map<ApiFunctionKey, HttpLambdaIntegration>();
    for (const route of ROUTES) {
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(
          `${route.function}Integration`,
          this.functions[route.function].fn,
        );
        integrations.set(route.function, integration);
      }
      const [created] = this.httpApi.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration,
        ...(route.public ? { authorizer: new apigw.HttpNoneAuthorizer() } : {}),
      });
      if (route.public && created) {
        acknowledge(
          created,
          'AwsSolutions-APIG4',
          route.function === 'surveyForm'
            ? `${route.method} ${route.path} is public by design: survey respondents have no account; the one-time code is the key (hashed, rate-limited per code and client, own stage throttle).`
            : `${route.method} ${route.path} is public by design (health probe / API description, no data).`,
        );
      }
    }
    const stage = this.stage.node.defaultChild as apigw.CfnStage;
    stage.routeSettings = Object.fromEntries(
      ROUTES.filter((r) => r.function === 'surveyForm').map((r) => [
        `${r.method} ${r.path}`,
        // A JSON map in CloudFormation: the keys are not converted, so they are written as CFN wants them.
        {
          ThrottlingRateLimit: SURVEY_FORM_THROTTLE.rateLimit,
          ThrottlingBurstLimit: SURVEY_FORM_THROTTLE.burstLimit,
        },
      ]),
    );
  }

  get url(): string {
    return this.stage.url;
  }
}
