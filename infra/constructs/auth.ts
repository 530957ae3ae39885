import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';

/** Cognito groups; a user's groups arrive in the `cognito:groups` claim. */
export const USER_GROUPS = ['operator', 'assessor', 'leadership', 'admin'] as const;
export type UserGroup = (typeof USER_GROUPS)[number];

/** Binds an operator to one Kemendagri region code (`PP` or `PP.KK`); only admins can set it. */
export const REGION_CLAIM = 'custom:region';
/** An assessor's home province (`PP`): never verifies a region there. Only admins can set it. */
export const PROVINCE_CLAIM = 'custom:province';

export interface AuthProps {
  /** Prefix of the Cognito hosted UI domain (`<prefix>.auth.<region>.amazoncognito.com`), globally unique. */
  signInDomainPrefix: string;
}

/**
 * The user pool behind the API's JWT authorizer. Clients send the **ID token** as the bearer
 * (it carries `cognito:groups`, `custom:region`, `custom:province`; its `aud` is the web client id).
 * People sign in to the dashboard through the hosted UI with the authorization code flow and
 * PKCE (oidc-client-ts in the page; a public client, no secret), back to the dashboard's URL.
 */
export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`, known without referencing the domain resource. */
  readonly signInOrigin: string;
  private signInUrl: string | undefined;

  constructor(scope: Construct, id: string, props: AuthProps) {
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
      customAttributes: {
        region: new cognito.StringAttribute({ minLen: 2, maxLen: 5, mutable: true }),
        province: new cognito.StringAttribute({ minLen: 2, maxLen: 2, mutable: true }),
      },
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
        .withCustomAttributes('region', 'province'),
      // Users may not change their own region or province: the custom attributes are absent here.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
      // The dashboard's sign-in: code flow only (no implicit tokens in URLs), back to the dashboard.
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [Lazy.string({ produce: () => this.requireSignInUrl() })],
        logoutUrls: [Lazy.string({ produce: () => this.requireSignInUrl() })],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
    });

    this.domain = this.userPool.addDomain('HostedUi', {
      cognitoDomain: { domainPrefix: props.signInDomainPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.CLASSIC_HOSTED_UI,
    });
    this.signInOrigin = `https://${props.signInDomainPrefix}.auth.${Stack.of(this).region}.amazoncognito.com`;
  }

  /** The issuer (`https://cognito-idp.<region>.amazonaws.com/<pool id>`): the OIDC authority. */
  get authority(): string {
    // As the API's HttpUserPoolAuthorizer builds its issuer (ProviderURL lacks the scheme).
    return `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }

  /** The dashboard's address: where the hosted UI sends people back after sign-in and sign-out. */
  allowSignInFrom(url: string): void {
    this.signInUrl = `${url.replace(/\/+$/, '')}/`;
  }

  private requireSignInUrl(): string {
    if (!this.signInUrl)
      throw new Error(
        'Auth: allowSignInFrom(<dashboard URL>) was not called; the hosted UI needs its callback URL.',
      );
    return this.signInUrl;
  }
}
