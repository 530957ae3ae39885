import type { S3Client } from '@aws-sdk/client-s3';
import type { CycleCalendar, CycleRecord } from '#adapters/dynamo/index';
import type { ObjectStore } from '#adapters/object-store';
import { getMethodology } from '#domain/methodology/registry';
import { handler as aggregateRun } from '#functions/aggregate-run';
import { handler as freezeManifest } from '#functions/freeze-manifest';
import type {
  AggregateResult,
  BatchResult,
  FreezeResult,
  NationalRegionResult,
  PublishResult,
} from '#functions/lib/national/contracts';
import { handler as markRunProvisional } from '#functions/mark-run-provisional';
import { handler as scoreBatch } from '#functions/revalidate-region-batch';
import { startEmulators } from '../../support/emulators';
import type { TestTable } from '../dynamo/dynalite-table';

export const BUCKET = 'indeks-uploads';

export interface NationalHarness {
  table: TestTable;
  s3: S3Client;
  objects: ObjectStore;
  close(): Promise<void>;
}

/**
 * dynalite and the local S3 in-process on free ports, and the environment the handlers read: the
 * handlers build their real SDK clients (DynamoDB, S3) from it.
 */
export async function startNationalHarness(
  env: Record<string, string> = {},
  tableName = 'indeks-national',
): Promise<NationalHarness> {
  const { table, s3, objects, close } = await startEmulators({ tableName, bucket: BUCKET, env });
  return { table, s3, objects, close };
}

export const CALENDAR: CycleCalendar = {
  timeZone: 'Asia/Jakarta',
  opensAt: '2026-03-01T00:00:00+07:00',
  closesAt: '2026-03-31T23:59:00+07:00',
  extensions: [],
  nationalRunAt: '2026-04-02T01:00:00+07:00',
};

/** A cycle record as POST /cycles makes it, for a shipped methodology. */
export async function seedCycle(
  h: NationalHarness,
  cycleId: string,
  methodologyId: string,
  options: { period?: number; calendar?: CycleCalendar } = {},
): Promise<CycleRecord> {
  const m = getMethodology(methodologyId);
  if (!m) throw new Error(`methodology ${methodologyId} is not shipped`);
  const { cycle } = await h.table.repos.cycles.create({
    cycleId,
    index: m.index.toUpperCase(),
    period: options.period ?? m.period,
    name: `${m.name.id} ${options.period ?? m.period}`,
    calendar: options.calendar ?? CALENDAR,
    methodology: { id: m.id, hash: m.hash },
  });
  return cycle;
}

/**
 * An accepted submission as the submission side leaves it: the canonical JSON in S3
 * (`reports/{c}/{k}/{id}.submission.json`) and the record ACCEPTED (which moves the region's
 * `current` pointer). `canonical: null` leaves the canonical object out.
 */
export async function seedAccepted(
  h: NationalHarness,
  cycleId: string,
  kode: string,
  canonical: unknown,
  options: { uploadedAt?: string; version?: string } = {},
): Promise<string> {
  const key = `submissions/${cycleId}/${kode}/data-${options.version ?? '1'}/data.json`;
  const { submission } = await h.table.repos.submissions.createFromUpload({
    cycleId,
    kode,
    object: { bucket: BUCKET, key, versionId: options.version ?? 'v1' },
    uploadedAt: options.uploadedAt ?? '2026-03-10T03:00:00Z',
  });
  const ref = { cycleId, kode, submissionId: submission.submissionId };
  if (canonical !== null)
    await h.objects.putJson(
      `reports/${cycleId}/${kode}/${submission.submissionId}.submission.json`,
      canonical,
    );
  await h.table.repos.submissions.transition(ref, 'VALIDATING');
  await h.table.repos.submissions.transition(ref, 'ACCEPTED', {
    patch: {
      validation: {
        reportKey: `reports/${cycleId}/${kode}/${submission.submissionId}.json`,
        errorCount: 0,
        warningCount: 0,
      },
    },
  });
  return submission.submissionId;
}

/** The state machine's task Retry: the error names it matches and how many attempts it makes. */
export interface RetryPolicy {
  errors: readonly string[];
  maxAttempts: number;
  onRetry?: (error: Error) => void;
}

export interface PipelineRun {
  manifest: FreezeResult;
  batches: BatchResult[];
  aggregate: AggregateResult;
  publish: PublishResult;
}

/**
 * Drives the national state machine's Lambda tasks in order with the payloads it passes (see
 * docs/architecture.md §3): Init's `$.run`, FreezeManifest → `$.manifest`, the Distributed Map's
 * `{Items, BatchInput}` batches of 25 from the manifest, Aggregate (whole state incl. `$.map`) →
 * `$.aggregate`, Publish → `$.publish`.
 */
export async function runPipeline(
  h: NationalHarness,
  input: { cycleId: string; runId: string; startedAt: string; trigger?: string },
  options: { twice?: boolean; retry?: RetryPolicy } = {},
): Promise<PipelineRun> {
  // `retry`: a task failing with an error the state machine's Retry names is invoked again, as
  // Step Functions would (at most `maxAttempts` times).
  const attempt = async <O>(work: () => Promise<O>): Promise<O> => {
    for (let n = 1; ; n++) {
      try {
        return await work();
      } catch (error) {
        const retried = options.retry && error instanceof Error && options.retry.errors.includes(error.name);
        if (!retried || n >= (options.retry?.maxAttempts ?? 1)) throw error;
        options.retry?.onRetry?.(error);
      }
    }
  };
  // `twice`: every task is invoked again with the same payload (a retry after a lost response)
  // and must answer the same.
  const call = async <I, O>(task: (input: I) => Promise<O>, payload: I): Promise<O> => {
    const first = await attempt(() => task(payload));
    if (options.twice) {
      const second = await attempt(() => task(payload));
      if (JSON.stringify(second) !== JSON.stringify(first))
        throw new Error(`a retried task answered differently: ${JSON.stringify([first, second])}`);
    }
    return first;
  };
  const state = {
    cycleId: input.cycleId,
    trigger: input.trigger ?? 'calendar',
    run: { runId: input.runId, startedAt: input.startedAt },
  };
  const manifest = await call(freezeManifest, { ...state });
  // The Distributed Map reads the manifest itself (with the service's own retries).
  const items = await attempt(() => h.objects.getJson<unknown[]>(manifest.manifestKey));
  const batches: BatchResult[] = [];
  for (let i = 0; i < items.length; i += 25)
    batches.push(
      await call(scoreBatch, {
        Items: items.slice(i, i + 25),
        BatchInput: { cycleId: input.cycleId, runId: input.runId, manifestKey: manifest.manifestKey },
      }),
    );
  const map = {
    MapRunArn: `arn:aws:states:ap-southeast-3:000000000000:mapRun:National/RevalidateRegions:${input.runId}`,
    ResultWriterDetails: { Bucket: BUCKET, Key: `runs/map-results/${input.runId}/manifest.json` },
  };
  const aggregate = await call(aggregateRun, { ...state, manifest, map });
  const publish = await call(markRunProvisional, { ...state, manifest, map, aggregate });
  return { manifest, batches, aggregate, publish };
}

/** Every region result of a run, all pages. */
export async function regionResultsOf(h: NationalHarness, runId: string): Promise<NationalRegionResult[]> {
  const out: NationalRegionResult[] = [];
  let cursor: string | undefined;
  do {
    const page = await h.table.repos.rankings.listRegionResults(runId, { limit: 500, cursor });
    out.push(...(page.items as NationalRegionResult[]));
    cursor = page.cursor;
  } while (cursor);
  return out;
}
