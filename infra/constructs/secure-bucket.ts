import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * What every bucket of the stack is, whatever else it is: private (public access blocked), SSE-S3
 * (server access logs and CloudFront logs can only be delivered to SSE-S3 buckets), reachable over
 * TLS 1.2+ only. cdk-nag's S3 rules check these on each bucket.
 */
export const SECURE_BUCKET = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
} as const satisfies s3.BucketProps;
