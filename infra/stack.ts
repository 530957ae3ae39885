import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { Api } from './constructs/api';
import { Auth } from './constructs/auth';
import { Dashboard } from './constructs/dashboard';
import { Monitoring } from './constructs/monitoring';
import { NationalPipeline } from './constructs/national-pipeline';
import { CycleSchedules } from './constructs/schedules';
import { Storage } from './constructs/storage';
import { SubmissionPipeline } from './constructs/submission-pipeline';
import { VerificationPipeline } from './constructs/verification-pipeline';

export interface IndeksStackProps extends StackProps {
  /** Browser origins of the dashboard (CORS of the API and the upload bucket). */
  allowedOrigins?: string[];
  /** Optional e-mail subscribed to the alarm topic. */
  alarmEmail?: string;
  /** Requests per client per minute on the public survey form (default 60; a cycle may set its own). */
  surveyClientLimit?: number;
  /** Prefix of the Cognito hosted UI domain (globally unique per region); default `indeks-<account>`. */
  signInDomainPrefix?: string;
}

/** Everything a ministry deploys into its own account with `npx cdk deploy`. */
export class IndeksStack extends Stack {
  readonly storage: Storage;
  readonly monitoring: Monitoring;
  readonly submissions: SubmissionPipeline;
  readonly national: NationalPipeline;
  readonly verification: VerificationPipeline;
  readonly schedules: CycleSchedules;
  readonly auth: Auth;
  readonly api: Api;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: IndeksStackProps = {}) {
    super(scope, id, {
      description: 'Indeks: regional government index assessments (IKKD, IID, IPKD)',
      ...props,
    });
    const allowedOrigins = props.allowedOrigins?.length ? props.allowedOrigins : ['*'];
    const functionLogRetention = logs.RetentionDays.THREE_MONTHS;
    const auditLogRetention = logs.RetentionDays.ONE_YEAR;

    this.storage = new Storage(this, 'Storage', { allowedOrigins });
    this.monitoring = new Monitoring(this, 'Monitoring', { alarmEmail: props.alarmEmail });
    const common = {
      storage: this.storage,
      monitoring: this.monitoring,
      functionLogRetention,
      auditLogRetention,
    };
    this.submissions = new SubmissionPipeline(this, 'Submissions', common);
    this.national = new NationalPipeline(this, 'National', common);
    this.verification = new VerificationPipeline(this, 'Verification', common);
    this.schedules = new CycleSchedules(this, 'Schedules', {
      ...common,
      nationalStateMachine: this.national.stateMachine,
      verificationStateMachine: this.verification.stateMachine,
      submissionSweeper: this.submissions.sweepSubmissions,
    });
    this.auth = new Auth(this, 'Auth', {
      signInDomainPrefix: props.signInDomainPrefix ?? `indeks-${this.account}`,
    });
    this.api = new Api(this, 'Api', {
      ...common,
      auth: this.auth,
      schedules: this.schedules,
      nationalStateMachine: this.national.stateMachine,
      verificationStateMachine: this.verification.stateMachine,
      submissionSweeper: this.submissions.sweepSubmissions,
      allowedOrigins,
      surveyClientLimit: props.surveyClientLimit,
    });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      accessLogs: this.storage.accessLogs,
      apiOrigin: this.api.httpApi.apiEndpoint,
      signInOrigins: [`https://cognito-idp.${this.region}.amazonaws.com`, this.auth.signInOrigin],
      uploadOrigin: `https://${this.storage.uploads.bucketRegionalDomainName}`,
    });
    // Invitation links and PDF slips point at the deployed form (the dashboard's survey/ folder).
    this.api.functions.apiSurvey.useValue('SURVEY_FORM_URL', this.dashboard.surveyFormUrl);

    // Alarms on what every part built: API 5xx answers and each function's errors.
    this.monitoring.watchApi(this.api.httpApi);
    this.monitoring.watchFunctions(this);
    this.auth.allowSignInFrom(this.dashboard.url);

    const outputs: Record<string, string> = {
      ApiUrl: this.api.url,
      DashboardUrl: this.dashboard.url,
      DashboardBucketName: this.dashboard.bucket.bucketName,
      UserPoolId: this.auth.userPool.userPoolId,
      UserPoolClientId: this.auth.client.userPoolClientId,
      SignInAuthority: this.auth.authority,
      SignInDomain: this.auth.domain.baseUrl(),
      UploadBucketName: this.storage.uploads.bucketName,
      TableName: this.storage.table.tableName,
      SubmissionStateMachineArn: this.submissions.stateMachine.stateMachineArn,
      NationalStateMachineArn: this.national.stateMachine.stateMachineArn,
      VerificationStateMachineArn: this.verification.stateMachine.stateMachineArn,
      ScheduleGroupName: this.schedules.group.scheduleGroupName,
      AlarmTopicArn: this.monitoring.topic.topicArn,
      DeadLetterQueueUrl: this.monitoring.deadLetters.queueUrl,
    };
    for (const [name, value] of Object.entries(outputs)) new CfnOutput(this, name, { value });
  }
}
