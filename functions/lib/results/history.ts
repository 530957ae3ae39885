import type { CycleRecord, RegionHistoryEntry } from '#adapters/dynamo/index';
import { getMethodology } from '#domain/methodology/registry';
import { findRegion } from '#domain/regions';
import { isPublished } from '#domain/results';
import { assertCanSeeRegion, type Caller } from '#http/auth';
import { notFound } from '#http/errors';
import type { RegionHistory } from '#http/openapi-results';
import { assertAnyRole, isPrivileged } from './access';
import type { ResultsDeps } from './deps';
import { cycleRecord } from './load';
import { displayOf, regionRef } from './views';

/**
 * GET /regions/{kode}/history: the region's result in every cycle. Operators see their own
 * region's published results only; assessors, leadership and admins also see provisional ones.
 */
export async function regionHistory(
  deps: ResultsDeps,
  caller: Caller,
  kode: string,
  index: string | undefined,
): Promise<{ body: RegionHistory; published: boolean }> {
  assertAnyRole(caller);
  assertCanSeeRegion(caller, kode);
  if (!findRegion(kode))
    throw notFound(
      `Wilayah ${kode} (bukan kode Kemendagri yang dikenal)`,
      `Region ${kode} (not a known Kemendagri code)`,
    );
  const entries: RegionHistoryEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.repos.history.list(kode, { limit: 500, cursor });
    entries.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  const wanted = index?.toLowerCase();
  const relevant = entries.filter((e) => wanted === undefined || e.index.toLowerCase() === wanted);

  // Whether each cycle is published: one read per cycle (a region has a handful of cycles).
  const cycles = new Map<string, CycleRecord | undefined>();
  await Promise.all(
    [...new Set(relevant.map((e) => e.cycleId))].map(async (id) => {
      cycles.set(id, await cycleRecord(deps, id));
    }),
  );
  const now = deps.now();
  const privileged = isPrivileged(caller);
  const items: RegionHistory['items'] = [];
  for (const e of relevant) {
    const cycle = cycles.get(e.cycleId);
    const published = cycle !== undefined && isPublished({ cycle, run: { status: e.runStatus } }, now);
    if (!published && !privileged) continue;
    const methodology = getMethodology(e.methodology.id);
    items.push({
      cycleId: e.cycleId,
      index: e.index,
      period: e.period,
      runId: e.runId,
      runStatus: e.runStatus,
      published,
      score: typeof e.score === 'number' ? e.score : null,
      display: displayOf(e, methodology),
      predikat: e.predikat ?? null,
      eligible: e.eligible,
      ranks: Object.entries(e.ranks ?? {})
        .filter((r): r is [string, number] => typeof r[1] === 'number')
        .map(([cluster, rank]) => ({ cluster, rank })),
      methodology: { id: e.methodology.id, hash: e.methodology.hash },
    });
  }
  items.sort(
    (a, b) => a.index.localeCompare(b.index) || a.period - b.period || a.cycleId.localeCompare(b.cycleId),
  );
  return {
    body: { region: regionRef(kode), index: wanted ?? null, items },
    published: items.every((i) => i.published),
  };
}
