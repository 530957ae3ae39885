import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_DEFAULT_RETENTION_DAYS } from '#adapters/ledger-export';
import { type Synthesized, synthesize } from './template-helpers';

let s: Synthesized;
beforeAll(() => {
  s = synthesize();
});

describe('ledger bucket (issue 13)', () => {
  it('has Object Lock on in governance mode with the default retention, versioned, private, SSE, logged', () => {
    const bucket = s.at('Storage/Ledger/Resource');
    expect((bucket as { DeletionPolicy?: string }).DeletionPolicy).toBe('Retain');
    const p = bucket.Properties ?? {};
    expect(p.ObjectLockEnabled).toBe(true);
    expect(p.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: LEDGER_DEFAULT_RETENTION_DAYS } },
    });
    expect(p.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(p.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(p.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(p.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: s.idOf('Storage/AccessLogs/Resource') },
      LogFilePrefix: 'ledger/',
    });
    // Nothing expires a ledger export.
    expect(p.LifecycleConfiguration).toBeUndefined();
  });

  it('denies any request without TLS and below TLS 1.2', () => {
    s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: s.idOf('Storage/Ledger/Resource') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });
});
