import { createHash } from 'node:crypto';
import type { RankingEntry } from '#adapters/dynamo/index';
import type { LoadedMethodology } from '#domain/methodology/load';
import { findRegion } from '#domain/regions';
import { matchesSearch, normaliseSearch, rankChange } from '#domain/results';
import type { Caller } from '#http/auth';
import { badRequest } from '#http/errors';
import { type RankingItem, type RankingPage, type RankingsQuery, runIdSchema } from '#http/openapi-results';
import { type ResolvedRun, resolveRun } from './access';
import type { ResultsDeps } from './deps';
import { clusterEntries, type PreviousRanking, previousRanking } from './load';
import { clusterName, cycleRef, displayOf, extra, intervalOf, methodologyOf, runRef, str } from './views';

interface RankCursor {
  /** Run the pages belong to: later pages stay on it even when a newer run is published meanwhile. */
  r: string;
  c: string;
  /** Fingerprint of the filters. */
  f: string;
  /** Offset of the next row. */
  o: number;
}

const filterKey = (q: Pick<RankingsQuery, 'province' | 'predikat' | 'q'>): string =>
  createHash('sha256')
    .update(JSON.stringify([q.province ?? '', normaliseSearch(q.predikat ?? ''), normaliseSearch(q.q ?? '')]))
    .digest('base64url')
    .slice(0, 12);

export const encodeCursor = (c: RankCursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

const cursorError = () =>
  badRequest(
    'CURSOR_INVALID',
    'Kursor halaman tidak berlaku untuk permintaan ini (klaster atau filter berubah). Ulangi dari halaman pertama tanpa parameter cursor.',
    'The page cursor does not belong to this request (cluster or filters changed). Start again from the first page without the cursor parameter.',
  );

export function decodeCursor(text: string, query: RankingsQuery): RankCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw cursorError();
  }
  const c = value as Partial<RankCursor> | null;
  if (
    !c ||
    typeof c.r !== 'string' ||
    typeof c.c !== 'string' ||
    typeof c.f !== 'string' ||
    typeof c.o !== 'number' ||
    !Number.isInteger(c.o) ||
    c.o < 0 ||
    !runIdSchema.safeParse(c.r).success ||
    c.c !== query.cluster ||
    c.f !== filterKey(query) ||
    (query.run !== undefined && query.run !== c.r)
  )
    throw cursorError();
  return { r: c.r, c: c.c, f: c.f, o: c.o };
}

/** Checks the filters against the run's methodology, so a typo says what the choices are. */
function checkFilters(query: RankingsQuery, methodology: LoadedMethodology | undefined): string | undefined {
  if (query.province !== undefined && findRegion(query.province)?.jenis !== 'provinsi')
    throw badRequest(
      'UNKNOWN_PROVINCE',
      `Provinsi ${query.province} tidak dikenal; gunakan kode provinsi Kemendagri dua digit, mis. 18 (Lampung).`,
      `Province ${query.province} is unknown; use a two-digit Kemendagri province code, e.g. 18 (Lampung).`,
    );
  if (!methodology) return query.predikat;
  if (!methodology.clusters.some((c) => c.id === query.cluster)) {
    const choices = methodology.clusters.map((c) => c.id).join(', ');
    throw badRequest(
      'UNKNOWN_CLUSTER',
      `Klaster "${query.cluster}" tidak ada dalam metodologi ${methodology.id}; pilihan: ${choices}.`,
      `Cluster "${query.cluster}" is not in methodology ${methodology.id}; choices: ${choices}.`,
    );
  }
  if (query.predikat === undefined) return undefined;
  const labels = [
    ...methodology.predikat.bands.map((b) => b.label),
    methodology.predikat.notAssessable.label,
  ];
  const wanted = normaliseSearch(query.predikat);
  const label = labels.find((l) => normaliseSearch(l) === wanted);
  if (!label)
    throw badRequest(
      'UNKNOWN_PREDIKAT',
      `Predikat "${query.predikat}" tidak ada dalam metodologi ${methodology.id}; pilihan: ${labels.join(', ')}.`,
      `Predikat "${query.predikat}" is not in methodology ${methodology.id}; choices: ${labels.join(', ')}.`,
    );
  return label;
}

export interface RankingRows {
  resolved: ResolvedRun;
  methodology: LoadedMethodology | undefined;
  previous: PreviousRanking | null;
  /** Rows matching the filters (all pages). */
  total: number;
  /** Rows `from`..`to` of the filtered ranking (a page builds only its own rows). */
  items(from?: number, to?: number): RankingItem[];
  offset: number;
  /** The predikat filter as the methodology spells it. */
  predikat: string | undefined;
}

/** Resolves the run, checks the filters and returns every matching row (exports) plus the offset. */
export async function rankingRows(deps: ResultsDeps, caller: Caller, cycleId: string, query: RankingsQuery) {
  const cursor = query.cursor ? decodeCursor(query.cursor, query) : undefined;
  const resolved = await resolveRun(deps, caller, cycleId, query.run ?? cursor?.r);
  const methodology = methodologyOf(resolved.run);
  const predikat = checkFilters(query, methodology);
  const [entries, previous] = await Promise.all([
    clusterEntries(deps, resolved.run, query.cluster),
    previousRanking(deps, resolved.cycle, query.cluster),
  ]);
  const matches =
    query.province === undefined && predikat === undefined && query.q === undefined
      ? entries
      : entries.filter((entry) => {
          if (query.province !== undefined && entry.provinsi !== query.province) return false;
          if (
            predikat !== undefined &&
            entry.predikat !== predikat &&
            (methodology || !samePredikat(entry, predikat))
          )
            return false;
          return query.q === undefined || matchesSearch(query.q, entry.kode, namaOf(entry));
        });
  const items = (from = 0, to = matches.length): RankingItem[] =>
    matches.slice(from, to).map((entry) => toItem(entry, namaOf(entry), methodology, previous));
  return {
    resolved,
    methodology,
    previous,
    total: matches.length,
    items,
    offset: cursor?.o ?? 0,
    predikat,
  } satisfies RankingRows;
}

/** Without the methodology the label cannot be checked: compare as a person would (case, accents). */
const samePredikat = (entry: RankingEntry, predikat: string): boolean =>
  normaliseSearch(entry.predikat ?? '') === normaliseSearch(predikat);

const namaOf = (entry: RankingEntry): string => entry.nama ?? findRegion(entry.kode)?.nama ?? entry.kode;

function toItem(
  entry: RankingEntry,
  nama: string,
  methodology: LoadedMethodology | undefined,
  previous: PreviousRanking | null,
): RankingItem {
  const rank = typeof entry.rank === 'number' ? entry.rank : null;
  const previousRank = previous?.ranks.get(entry.kode) ?? null;
  return {
    kode: entry.kode,
    nama,
    provinsi: entry.provinsi,
    provinsiNama: findRegion(entry.provinsi)?.nama ?? null,
    rank,
    index: typeof entry.score === 'number' && Number.isFinite(entry.score) ? entry.score : null,
    display: displayOf(entry, methodology),
    predikat: entry.predikat ?? null,
    eligible: entry.eligible,
    reason: entry.reason ?? null,
    unranked:
      rank === null ? (str(extra(entry, 'unranked')) ?? (entry.eligible ? null : 'ineligible')) : null,
    previousRank,
    rankChange: rankChange(previousRank, rank),
    interval: rank === null ? null : intervalOf(extra(entry, 'interval')),
  };
}

/** One page of the ranking (JSON). */
export function rankingPage(data: RankingRows, query: RankingsQuery, now: Date): RankingPage {
  const { resolved, offset, total } = data;
  const items = data.items(offset, offset + query.limit);
  const next = offset + items.length;
  return {
    cycle: cycleRef(resolved.cycle),
    run: runRef(resolved, now),
    cluster: { id: query.cluster, name: clusterName(data.methodology, query.cluster) },
    filters: {
      province: query.province ?? null,
      predikat: data.predikat ?? null,
      q: query.q ?? null,
    },
    previous: data.previous?.ref ?? null,
    total,
    items,
    nextCursor:
      next < total
        ? encodeCursor({ r: resolved.run.runId, c: query.cluster, f: filterKey(query), o: next })
        : null,
  };
}
