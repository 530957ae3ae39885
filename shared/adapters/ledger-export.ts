import { createHash } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type LedgerEntry, type LedgerHead, toJsonl } from '#domain/ledger/index';
import { segment } from './dynamo/keys';

/** The bucket's default retention (CDK) and the retention of a cycle that names none: ten years. */
export const LEDGER_DEFAULT_RETENTION_DAYS = 3650;

/** `ledger/{cycleId}/{seq:10}.jsonl`: one object per exported head, so no export overwrites another. */
export const ledgerExportKey = (cycleId: string, seq: number): string =>
  `ledger/${segment(cycleId, 'cycleId')}/${String(seq).padStart(10, '0')}.jsonl`;

export interface LedgerExportDeps {
  s3: S3Client;
  bucket: string;
  list: (cycleId: string, options: { upToSeq: number }) => Promise<LedgerEntry[]>;
  /** The cycle's retention in days (cycle data), or undefined for the default. */
  retentionDays: (cycleId: string) => Promise<number | undefined>;
  now: () => Date;
}

/**
 * Writes the ledger up to `head` as JSON Lines under Object Lock (governance mode, retain until
 * now + the cycle's retention). Object Lock puts need Content-MD5 (or a checksum): sent here.
 */
export async function exportLedger(
  deps: LedgerExportDeps,
  cycleId: string,
  head: LedgerHead,
): Promise<string> {
  const entries = await deps.list(cycleId, { upToSeq: head.seq });
  const last = entries.at(-1);
  if (!last || last.seq !== head.seq || last.hash !== head.hash)
    throw new Error(`ledger ${cycleId}: the stored chain does not end at head ${head.seq} ${head.hash}`);
  const body = toJsonl(entries);
  const days = (await deps.retentionDays(cycleId)) ?? LEDGER_DEFAULT_RETENTION_DAYS;
  const key = ledgerExportKey(cycleId, head.seq);
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: deps.bucket,
      Key: key,
      Body: body,
      ContentType: 'application/x-ndjson',
      ContentMD5: createHash('md5').update(body).digest('base64'),
      ObjectLockMode: 'GOVERNANCE',
      ObjectLockRetainUntilDate: new Date(deps.now().getTime() + days * 86_400_000),
      Metadata: { 'ledger-head-seq': String(head.seq), 'ledger-head-hash': head.hash },
    }),
  );
  return key;
}
