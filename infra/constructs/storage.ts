import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PREFIX } from '#adapters/bucket-layout';
import { TABLE_DEFINITION } from '#adapters/dynamo/table-definition';
import { LEDGER_DEFAULT_RETENTION_DAYS } from '#adapters/ledger-export';
import { SECURE_BUCKET } from './secure-bucket';

/**
 * Key prefixes of the upload bucket; each function is granted only the prefixes it needs. The key
 * layout is said once, with the handlers' keys (shared/adapters/bucket-layout.ts).
 */
export { PREFIX };

export interface StorageProps {
  /** Browser origins allowed to upload (CORS). */
  allowedOrigins: string[];
}

/**
 * The upload bucket (evidence: versioned, never expired), its access-log bucket, and the single
 * DynamoDB table (see infra/README.md for the design and access patterns).
 */
export class Storage extends Construct {
  readonly uploads: s3.Bucket;
  readonly accessLogs: s3.Bucket;
  /** The ledger exports (issue 13): Object Lock in governance mode, written once per head, never overwritten. */
  readonly ledger: s3.Bucket;
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...SECURE_BUCKET,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        {
          id: 'expire-access-logs',
          expiration: Duration.days(730),
          noncurrentVersionExpiration: Duration.days(30),
        },
      ],
    });

    this.uploads = new s3.Bucket(this, 'Uploads', {
      // SSE-S3: browser uploads through presigned POST need no KMS grants, readers (Lambda,
      // Step Functions ItemReader/ResultWriter) need none either, and no per-request KMS cost.
      // Access control is IAM per prefix plus the bucket policy; swap to KMS if policy demands it.
      ...SECURE_BUCKET,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'uploads/',
      removalPolicy: RemovalPolicy.RETAIN,
      // Evidence is never expired, not even old versions: only abandoned multipart uploads go.
      lifecycleRules: [
        { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(3) },
      ],
      cors: [
        {
          allowedOrigins: props.allowedOrigins,
          // POST: presigned POST form uploads; PUT: presigned multipart parts (resumable uploads).
          allowedMethods: [s3.HttpMethods.POST, s3.HttpMethods.PUT, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag', 'x-amz-version-id', 'x-amz-request-id'],
          maxAge: 3000,
        },
      ],
    });

    // EventBridge notifications set natively on the bucket (`eventBridgeEnabled: true` would add a
    // custom-resource Lambda that rewrites the notification configuration after deployment).
    (this.uploads.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };

    // Each cycle's ledger.jsonl, exported at every publication under Object Lock (governance):
    // the bucket default holds every version for LEDGER_DEFAULT_RETENTION_DAYS; the exporter sets
    // each object's own retain-until date from the cycle's `ledgerRetentionDays`.
    this.ledger = new s3.Bucket(this, 'Ledger', {
      ...SECURE_BUCKET,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.governance(
        Duration.days(LEDGER_DEFAULT_RETENTION_DAYS),
      ),
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'ledger/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: TABLE_DEFINITION.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_DEFINITION.sortKey, type: dynamodb.AttributeType.STRING },
      globalSecondaryIndexes: TABLE_DEFINITION.globalSecondaryIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      })),
      timeToLiveAttribute: TABLE_DEFINITION.timeToLiveAttribute,
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
