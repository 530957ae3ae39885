import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dashboard } from '#infra/constructs/dashboard';
import { nagPacks } from '#infra/nag';
import { createApp } from '#infra/synth';
import { placeholder, type Synthesized, synthesize } from './template-helpers';

let s: Synthesized;
beforeAll(() => {
  s = synthesize();
});

describe('dashboard hosting (S3 + CloudFront with Origin Access Control)', () => {
  it('keeps the site bucket private, encrypted, TLS-only, versioned and logged', () => {
    const site = s.at('Dashboard/Site/Resource');
    expect(site.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: s.idOf('Storage/AccessLogs/Resource') },
        LogFilePrefix: 'dashboard-site/',
      },
    });
    expect(JSON.stringify(site.Properties)).not.toContain('WebsiteConfiguration');
  });

  it('lets only this distribution read the bucket (OAC, SourceArn), and refuses plain HTTP', () => {
    const siteId = s.idOf('Dashboard/Site/Resource');
    const policy = Object.values(s.resources).find(
      (r) => r.Type === 'AWS::S3::BucketPolicy' && placeholder(r.Properties?.Bucket) === `@Ref(${siteId})`,
    );
    const document = policy?.Properties?.PolicyDocument as
      | { Statement: Record<string, unknown>[] }
      | undefined;
    const statements = document?.Statement ?? [];
    const deny = statements.find((st) => st.Effect === 'Deny');
    expect(deny).toMatchObject({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    const allows = statements.filter((st) => st.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Action: 's3:GetObject',
      Principal: { Service: 'cloudfront.amazonaws.com' },
    });
    const condition = allows[0]?.Condition as { StringEquals?: Record<string, unknown> } | undefined;
    const sourceArn = placeholder(condition?.StringEquals?.['AWS:SourceArn']);
    expect(sourceArn).toContain(`@Ref(${s.idOf('Dashboard/Cdn/Resource')})`);

    s.template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    s.template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
  });

  it('serves HTTPS only, GET/HEAD only, index.html at the root, with standard logs', () => {
    const config = s.at('Dashboard/Cdn/Resource').Properties?.DistributionConfig as Record<string, unknown>;
    expect(config).toMatchObject({
      Enabled: true,
      DefaultRootObject: 'index.html',
      HttpVersion: 'http2and3',
      DefaultCacheBehavior: {
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD'],
        Compress: true,
      },
      CacheBehaviors: [{ PathPattern: 'vendor/*', ViewerProtocolPolicy: 'redirect-to-https' }],
      Logging: { Prefix: 'cloudfront/' },
    });
    const origins = config.Origins as Record<string, unknown>[];
    expect(origins).toHaveLength(1);
    expect(origins[0]).toMatchObject({
      OriginAccessControlId: { 'Fn::GetAtt': [expect.stringContaining('S3OriginAccessControl'), 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    expect(placeholder((config.Logging as Record<string, unknown>).Bucket)).toContain(
      s.idOf('Dashboard/CdnLogs/Resource'),
    );
    expect(s.at('Dashboard/CdnLogs/Resource').Properties).toMatchObject({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
    });
  });

  it('adds strict security headers; the page may call only itself and the API', () => {
    const policy = s.at('Dashboard/SecurityHeaders/Resource').Properties?.ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Record<string, Record<string, unknown>>;
    };
    const headers = policy.SecurityHeadersConfig;
    const csp = placeholder(headers.ContentSecurityPolicy?.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    // The API; for sign-in the user pool (discovery, keys) and its hosted UI (token endpoint); the
    // upload bucket (an objection's new evidence is a presigned POST).
    expect(csp).toContain(
      `connect-src 'self' @GetAtt(${s.idOf('Api/HttpApi/Resource')}.ApiEndpoint) https://cognito-idp.@Ref(AWS::Region).amazonaws.com https://indeks-@Ref(AWS::AccountId).auth.@Ref(AWS::Region).amazoncognito.com https://@GetAtt(${s.idOf('Storage/Uploads/Resource')}.RegionalDomainName);`,
    );
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(headers).toMatchObject({
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY' },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer' },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true },
    });
  });

  it('outputs the dashboard URL and bucket for dashboard/publish.ts', () => {
    const outputs = s.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(placeholder(outputs.DashboardUrl?.Value)).toBe(
      `https://@GetAtt(${s.idOf('Dashboard/Cdn/Resource')}.DomainName)`,
    );
    expect(placeholder(outputs.DashboardBucketName?.Value)).toBe(
      `@Ref(${s.idOf('Dashboard/Site/Resource')})`,
    );
  });

  it('signs people in through the Cognito hosted UI: code flow + PKCE, back to the CloudFront URL', () => {
    const client = s.at('Auth/UserPool/WebClient/Resource').Properties ?? {};
    const dashboard = `https://@GetAtt(${s.idOf('Dashboard/Cdn/Resource')}.DomainName)/`;
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(client.AllowedOAuthScopes).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
    expect(client.SupportedIdentityProviders).toEqual(['COGNITO']);
    // A public client (the page cannot keep a secret): PKCE protects the code.
    expect(client.GenerateSecret).toBe(false);
    expect((client.CallbackURLs as unknown[]).map(placeholder)).toEqual([dashboard]);
    expect((client.LogoutURLs as unknown[]).map(placeholder)).toEqual([dashboard]);
    expect(client.ReadAttributes).toEqual(expect.arrayContaining(['custom:region', 'custom:province']));
    expect(client.WriteAttributes).not.toContain('custom:province');
    const domain = Object.values(s.resources).find((r) => r.Type === 'AWS::Cognito::UserPoolDomain');
    expect(placeholder(domain?.Properties?.Domain)).toBe('indeks-@Ref(AWS::AccountId)');
    expect(domain?.Properties?.UserPoolId).toEqual({ Ref: s.idOf('Auth/UserPool/Resource') });
    // dashboard/publish.ts builds config.json (authority, client id, redirect, logout) from these.
    const outputs = s.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(placeholder(outputs.SignInAuthority?.Value)).toBe(
      `https://cognito-idp.@Ref(AWS::Region).amazonaws.com/@Ref(${s.idOf('Auth/UserPool/Resource')})`,
    );
    expect(placeholder(outputs.SignInDomain?.Value)).toContain('.auth.@Ref(AWS::Region).amazoncognito.com');
    expect(placeholder(outputs.UserPoolClientId?.Value)).toBe(
      `@Ref(${s.idOf('Auth/UserPool/WebClient/Resource')})`,
    );
  });

  it('is cdk-nag clean, its acknowledgements explained', () => {
    const { app } = createApp({ bundle: false, cfnValidation: false });
    const open = nagPacks().flatMap((pack) =>
      pack
        .validateScope(app)
        .violations.flatMap((v) =>
          v.violatingResources
            .filter((r) => (r.constructPath ?? '').startsWith('Indeks/Dashboard'))
            .map((r) => `${v.ruleName} ${r.constructPath}`),
        ),
    );
    expect(open).toEqual([]);
  });

  it('uses TLS 1.2 (2021) and needs no CFR4 acknowledgement with a ministry domain', () => {
    const app = new App({
      context: { 'aws:cdk:bundling-stacks': [] },
      builtinCloudFormationValidation: false,
    });
    const stack = new Stack(app, 'DashboardOnly', {
      env: { account: '111111111111', region: 'ap-southeast-3' },
    });
    const logs = new s3.Bucket(stack, 'Logs', {
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
    });
    new Dashboard(stack, 'Dashboard', {
      accessLogs: logs,
      apiOrigin: 'https://api.indeks.example.go.id',
      domain: {
        names: ['indeks.example.go.id'],
        certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000',
      },
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['indeks.example.go.id'],
        ViewerCertificate: Match.objectLike({
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        }),
      }),
    });
    const cfr4 = nagPacks().flatMap((pack) =>
      pack.validateScope(stack).violations.filter((v) => v.ruleName === 'AwsSolutions-CFR4'),
    );
    expect(cfr4).toEqual([]);
  });
});
