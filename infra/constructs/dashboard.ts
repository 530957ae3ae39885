import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';
import { SECURE_BUCKET } from './secure-bucket';

export interface DashboardProps {
  /** Bucket that receives the dashboard bucket's S3 server access logs (the stack's access-log bucket). */
  accessLogs: s3.IBucket;
  /** `https://…` origin of the HTTP API, the only place the page may call (CSP `connect-src`). */
  apiOrigin: string;
  /** Origins oidc-client-ts calls to sign in (the user pool's discovery and keys, the hosted UI's token endpoint). */
  signInOrigins?: string[];
  /** `https://<upload bucket regional domain>`: the page posts an objection's new evidence there (presigned POST). */
  uploadOrigin?: string;
  /** A ministry domain with its ACM certificate (us-east-1); without it the *.cloudfront.net name is used. */
  domain?: { names: string[]; certificateArn: string };
}

/**
 * The static dashboard (dashboard/: index.html, app.js, style.css, Chart.js, oidc-client-ts) in a private bucket
 * behind CloudFront with Origin Access Control: the bucket is never public, HTTPS only, strict
 * security headers. The files are uploaded after `cdk deploy` by `npx tsx dashboard/publish.ts`
 * (no custom-resource Lambda in the stack: every Lambda here is a house function).
 */
export class Dashboard extends Construct {
  readonly bucket: s3.Bucket;
  readonly logs: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  private readonly domainName: string | undefined;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    this.domainName = props.domain?.names[0];

    this.bucket = new s3.Bucket(this, 'Site', {
      ...SECURE_BUCKET,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'dashboard-site/',
      // Only code lives here (rebuilt from the repository): it may go with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
      lifecycleRules: [
        { id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(30) },
        { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    // CloudFront standard logs are written with ACLs: a bucket of their own that allows them.
    this.logs = new s3.Bucket(this, 'CdnLogs', {
      ...SECURE_BUCKET,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'dashboard-cdn-logs/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'expire-cdn-logs', expiration: Duration.days(365) }],
    });

    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Indeks dashboard: CSP (API only), HSTS, no framing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            `connect-src 'self' ${[props.apiOrigin, ...(props.signInOrigins ?? []), ...(props.uploadOrigin ? [props.uploadOrigin] : [])].join(' ')}`,
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'",
          ].join('; '),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        // The sign-in answer (`?code=…&state=…`) is in the URL briefly: never sent to another site.
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
    });

    // The page's own files revalidate on every load (published as `no-cache`); Chart.js is cached.
    const pages = new cloudfront.CachePolicy(this, 'PagesCache', {
      comment: 'Indeks dashboard pages: follow the origin Cache-Control (no-cache)',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.minutes(5),
      maxTtl: Duration.days(1),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    // `survey/` (the short invitation link, also in each slip's QR code) serves survey/index.html;
    // the root is defaultRootObject. A CloudFront Function, not a Lambda: a path rewrite, no data.
    const directoryIndex = new cloudfront.Function(this, 'DirectoryIndex', {
      comment: 'Indeks dashboard: a path ending in / serves its index.html',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(
        "function handler(event) { var r = event.request; if (r.uri.endsWith('/')) { r.uri += 'index.html'; } return r; }",
      ),
    });
    const origin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    const certificate = props.domain
      ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn)
      : undefined;
    this.distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: 'Indeks dashboard',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'cloudfront/',
      ...(props.domain && certificate
        ? {
            domainNames: props.domain.names,
            certificate,
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
        cachePolicy: pages,
        responseHeadersPolicy: headers,
        compress: true,
        functionAssociations: [
          { function: directoryIndex, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      additionalBehaviors: {
        'vendor/*': {
          origin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: headers,
          compress: true,
        },
      },
    });

    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'The page holds no data (results come from the API behind Cognito tokens) and ministry staff also work abroad: no geo restriction.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'Static files only; the API has its own throttling and authorizer. A WAF web ACL (a monthly fee) can be attached if the ministry requires one.',
    );
    if (!props.domain)
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'Without a ministry domain CloudFront serves the default *.cloudfront.net certificate, which cannot be pinned to TLS 1.2; deploy with a domain and ACM certificate to get TLSv1.2_2021.',
      );
  }

  /** Where respondents open the survey form: invitation links and slips point here. */
  get surveyFormUrl(): string {
    return `${this.url}/survey/`;
  }

  /** `https://<distribution domain>` (or the first custom domain). */
  get url(): string {
    return `https://${this.domainName ?? this.distribution.distributionDomainName}`;
  }
}
