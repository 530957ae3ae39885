import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';

/** Cognito groups; a user's groups arrive in the `cognito:groups` claim. */
export const USER_GROUPS = ['operator', 'assessor', 'leadership', 'admin'] as const;
export type UserGroup = (typeof USER_GROUPS)[number];

/** Binds an operator to one Kemendagri region code (`PP` or `PP.KK`); only admins can set it. */
export const REGION_CLAIM = 'custom:region';

/**
 * The user pool behind the API's JWT authorizer. Clients send the **ID token** as the bearer
 * (it carries `cognito:groups` and `custom:region`; its `aud` is the web client id).
 */
export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Accounts are created by admins for named civil servants; nobody signs themselves up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      customAttributes: { region: new cognito.StringAttribute({ minLen: 2, maxLen: 5, mutable: true }) },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.userPool,
      'AwsSolutions-COG8',
      'Plus tier (threat protection) costs per MAU for ~5,000 regional operators; MFA is required for everyone instead. Enable PLUS if the ministry wants adaptive authentication.',
    );

    USER_GROUPS.forEach((group, precedence) => {
      this.userPool.addGroup(`Group-${group}`, {
        groupName: group,
        description: `Indeks ${group}`,
        precedence: USER_GROUPS.length - precedence,
      });
    });

    this.client = this.userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('region'),
      // Users may not change their own region binding: custom:region is absent here.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });
  }
}
