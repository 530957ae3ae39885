import type * as z from 'zod';
import type { CycleRecord, RunRecord } from '#adapters/dynamo/index';
import { formatDecimal } from '#domain/engine/display';
import type { LoadedMethodology } from '#domain/methodology/load';
import { getMethodology } from '#domain/methodology/registry';
import { findRegion } from '#domain/regions';
import type {
  cycleRefSchema,
  rankIntervalSchema,
  regionRefSchema,
  runRefSchema,
} from '#http/openapi-results';
import { noticeOf, type ResolvedRun } from './access';

export type CycleRef = z.infer<typeof cycleRefSchema>;
export type RunRef = z.infer<typeof runRefSchema>;
export type RegionRef = z.infer<typeof regionRefSchema>;
export type RankInterval = z.infer<typeof rankIntervalSchema>;

export const cycleRef = (cycle: CycleRecord): CycleRef => ({
  cycleId: cycle.cycleId,
  index: cycle.index,
  period: cycle.period,
  name: cycle.name,
  status: cycle.status,
  publishAt: cycle.calendar.publishAt ?? null,
});

export const runRef = (resolved: ResolvedRun, now: Date): RunRef => ({
  runId: resolved.run.runId,
  status: resolved.run.status,
  published: resolved.published,
  startedAt: resolved.run.startedAt,
  finalizedAt: resolved.run.finalizedAt ?? null,
  methodology: { id: resolved.run.methodology.id, hash: resolved.run.methodology.hash },
  ledgerHead: resolved.run.ledgerHead
    ? { seq: resolved.run.ledgerHead.seq, hash: resolved.run.ledgerHead.hash }
    : null,
  notice: noticeOf(resolved, now),
});

export function regionRef(kode: string, nama?: string): RegionRef {
  const region = findRegion(kode);
  const provinsi = region?.provinsi ?? kode.slice(0, 2);
  return {
    kode,
    nama: nama ?? region?.nama ?? kode,
    jenis: region?.jenis ?? null,
    provinsi,
    provinsiNama: findRegion(provinsi)?.nama ?? null,
  };
}

/** The methodology a run used, when this API ships it (its decimals, bands and clusters). */
export const methodologyOf = (run: Pick<RunRecord, 'methodology'>): LoadedMethodology | undefined =>
  getMethodology(run.methodology.id);

/** The published value: as the run stored it, or the index rounded to the methodology's decimals. */
export function displayOf(
  record: { score?: number },
  methodology: LoadedMethodology | undefined,
): string | null {
  const stored = extra(record, 'display');
  if (typeof stored === 'string') return stored;
  if (typeof record.score !== 'number' || !Number.isFinite(record.score)) return null;
  return formatDecimal(record.score, methodology?.output.decimals ?? 2);
}

export function clusterName(methodology: LoadedMethodology | undefined, cluster: string) {
  const found = methodology?.clusters.find((c) => c.id === cluster);
  return found ? { id: found.name.id, en: found.name.en } : null;
}

/** A member the run may have stored beyond the declared record (e.g. `outcome`, `reasons`). */
export function extra(record: object, name: string): unknown {
  return (record as Record<string, unknown>)[name];
}

export const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

export const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export const obj = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/** A stored rank interval, checked (runs before rank intervals have none: null). */
export function intervalOf(value: unknown): RankInterval | null {
  const o = obj(value);
  const rank = num(o?.rank);
  const median = num(o?.median);
  const p5 = num(o?.p5);
  const p95 = num(o?.p95);
  const tiedWith = num(o?.tiedWith);
  if (
    rank === undefined ||
    median === undefined ||
    p5 === undefined ||
    p95 === undefined ||
    tiedWith === undefined
  )
    return null;
  return { rank, median, p5, p95, tiedWith };
}

/** Bilingual reasons from `[{id, en}]`, or a single text used for both. */
export function bilingualList(value: unknown): { id: string; en: string }[] {
  if (typeof value === 'string' && value) return [{ id: value, en: value }];
  if (!Array.isArray(value)) return [];
  const out: { id: string; en: string }[] = [];
  for (const item of value) {
    const o = obj(item);
    const id = str(o?.id) ?? str(o?.message_id);
    const en = str(o?.en) ?? str(o?.message_en);
    if (id || en) out.push({ id: id ?? en ?? '', en: en ?? id ?? '' });
    else if (typeof item === 'string' && item) out.push({ id: item, en: item });
  }
  return out;
}
