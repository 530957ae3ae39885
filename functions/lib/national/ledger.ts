import { createHash } from 'node:crypto';
import type { LedgerPort, RunCounts } from '#adapters/dynamo/index';
import { type LedgerActor, type LedgerHead, SYSTEM_ACTOR } from '#domain/ledger/index';

/** `run.started`: the frozen manifest's sha256 (of the bytes stored at `manifestKey`) and the methodology. */
export async function recordRunStarted(
  ledger: LedgerPort,
  run: {
    cycleId: string;
    runId: string;
    startedAt: string;
    trigger: string;
    manifestKey: string;
    manifestText: string;
    regionCount: number;
    methodology: { id: string; hash: string };
  },
): Promise<void> {
  await ledger.append(run.cycleId, {
    action: 'run.started',
    actor: SYSTEM_ACTOR,
    at: run.startedAt,
    subject: { run: run.runId, key: run.manifestKey },
    after: {
      manifestSha256: createHash('sha256').update(run.manifestText).digest('hex'),
      regions: run.regionCount,
      methodology: run.methodology,
      trigger: run.trigger,
    },
    idempotencyKey: `run-started:${run.cycleId}:${run.runId}`,
  });
}

/**
 * `run.published` (PROVISIONAL) or `run.final`: the entry that publishes a run. Its seq and hash
 * are the ledger head stored on the run and shown next to the methodology hash.
 */
export async function recordRunPublication(
  ledger: LedgerPort,
  p: {
    cycleId: string;
    runId: string;
    status: 'PROVISIONAL' | 'FINAL';
    at: string;
    actor?: LedgerActor;
    resultKey?: string;
    counts?: RunCounts;
  },
): Promise<LedgerHead> {
  const entry = await ledger.append(p.cycleId, {
    action: p.status === 'FINAL' ? 'run.final' : 'run.published',
    actor: p.actor ?? SYSTEM_ACTOR,
    at: p.at,
    subject: { run: p.runId, ...(p.resultKey ? { key: p.resultKey } : {}) },
    after: {
      status: p.status,
      ...(p.counts ? { counts: Object.fromEntries(Object.entries(p.counts)) } : {}),
    },
    idempotencyKey: `run-${p.status.toLowerCase()}:${p.cycleId}:${p.runId}`,
  });
  return { seq: entry.seq, hash: entry.hash };
}
