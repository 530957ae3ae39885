import { canonicalKey, runKeys } from '#adapters/bucket-layout';
import type { LedgerPort, Repositories } from '#adapters/dynamo/index';
import { asTransient, isMissingObject } from '#adapters/transient';
import { InternalError } from '#domain/errors';
import type { LoadedMethodology } from '#domain/methodology/load';
import { frozenMethodology } from '#domain/methodology/registry';
import type { FreezeInput, FreezeResult, ManifestItem, RunContext } from './contracts';
import { recordRunStarted } from './ledger';

export interface JsonObjects {
  getJson<T = unknown>(key: string): Promise<T>;
  putJson(key: string, value: unknown): Promise<void>;
}

export interface FreezeDeps {
  repos: Pick<Repositories, 'cycles' | 'regionStatus' | 'runs' | 'submissions'>;
  objects: JsonObjects;
  methodologyOf: (id: string) => LoadedMethodology | undefined;
  /** The cycle ledger: `run.started` with the manifest's sha256. */
  ledger: LedgerPort;
}

/** The cycle's methodology as shipped now, refusing one whose content changed (see `frozenMethodology`). */
export const cycleMethodology = (
  methodologyOf: FreezeDeps['methodologyOf'],
  ref: { id: string; hash: string },
): LoadedMethodology => frozenMethodology(ref, methodologyOf);

/**
 * Freezes the regions' current (latest accepted) submissions into the run's manifest and creates
 * the run as RUNNING. A retried invocation finds the run and the manifest it already wrote.
 */
export async function freezeManifest(input: FreezeInput, deps: FreezeDeps): Promise<FreezeResult> {
  const { cycleId } = input;
  const { runId, startedAt } = input.run;
  const keys = runKeys(cycleId, runId);
  const result = (regionCount: number): FreezeResult => ({
    manifestKey: keys.manifest,
    contextKey: keys.context,
    regionCount,
    runId,
  });

  const cycle = await deps.repos.cycles.get(cycleId);
  if (!cycle) throw new InternalError('CycleNotFound', `cycle ${cycleId} does not exist`);
  // Recorded once the manifest is stored (also by a retry that finds it stored): its exact bytes' sha256.
  const started = (
    manifestText: string,
    regionCount: number,
    methodology: { id: string; hash: string },
    trigger: string,
  ) =>
    recordRunStarted(deps.ledger, {
      cycleId,
      runId,
      startedAt,
      trigger,
      manifestKey: keys.manifest,
      manifestText,
      regionCount,
      methodology: { id: methodology.id, hash: methodology.hash },
    });

  const existing = await deps.repos.runs.get(cycleId, runId);
  if (existing && existing.status !== 'RUNNING')
    throw new InternalError(
      'RunNotRunning',
      `run ${runId} is ${existing.status}; a re-run needs a new run id`,
    );
  if (existing) {
    const frozen = await deps.objects.getJson<unknown[]>(keys.manifest).catch((error: unknown) => {
      if (isMissingObject(error)) return undefined;
      return asTransient(error, 'reading the manifest');
    });
    if (Array.isArray(frozen)) {
      await started(JSON.stringify(frozen), frozen.length, existing.methodology, existing.trigger);
      return result(frozen.length);
    }
  }

  // Code order: the same cycle state always gives the same manifest, hence the same results.
  const current = (await deps.repos.regionStatus.listCurrent(cycleId)).sort((a, b) =>
    a.kode < b.kode ? -1 : a.kode > b.kode ? 1 : 0,
  );
  // Created first, so that any failure below is recorded on the run (MarkRunFailed: RUNNING → FAILED).
  await deps.repos.runs.create({
    cycleId,
    runId,
    methodology: cycle.methodology,
    trigger: input.trigger ?? 'calendar',
    startedAt,
    manifestKey: keys.manifest,
    regionCount: current.length,
  });
  const methodology = cycleMethodology(deps.methodologyOf, cycle.methodology);

  const manifest: ManifestItem[] = [];
  for (const region of current) {
    const submissionId = existing
      ? await submissionAsOf(deps, cycleId, region.kode, region.current, startedAt)
      : region.current?.submissionId;
    if (submissionId)
      manifest.push({
        kode: region.kode,
        submissionId,
        sourceKey: canonicalKey({ cycleId, kode: region.kode, submissionId }),
      });
  }

  const context: RunContext = {
    cycleId,
    runId,
    index: cycle.index,
    period: cycle.period,
    methodology: { id: methodology.id, hash: methodology.hash },
    startedAt,
    trigger: input.trigger ?? 'calendar',
  };
  await deps.objects.putJson(keys.context, context);
  await deps.objects.putJson(keys.manifest, manifest);
  await started(JSON.stringify(manifest), manifest.length, context.methodology, context.trigger);
  return result(manifest.length);
}

const COUNTS: ReadonlySet<string> = new Set(['ACCEPTED', 'SCORED']);

/**
 * For a retried freeze (the run was created, the manifest not written): the region's current
 * submission as of the run's start, so that a submission that arrived in between does not change
 * the run. The pointer is used as is when it is older; otherwise the newest counting submission
 * uploaded at or before the start is found. (The first attempt freezes the pointers as they are.)
 */
async function submissionAsOf(
  deps: FreezeDeps,
  cycleId: string,
  kode: string,
  pointer: { submissionId: string; uploadedAt: string } | undefined,
  startedAt: string,
): Promise<string | undefined> {
  if (!pointer) return undefined;
  const start = Date.parse(startedAt);
  if (Date.parse(pointer.uploadedAt) <= start) return pointer.submissionId;
  let cursor: string | undefined;
  do {
    const page = await deps.repos.submissions.listForRegion(cycleId, kode, {
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    const found = page.items.find((s) => COUNTS.has(s.status) && Date.parse(s.uploadedAt) <= start);
    if (found) return found.submissionId;
    cursor = page.cursor;
  } while (cursor);
  return undefined;
}
