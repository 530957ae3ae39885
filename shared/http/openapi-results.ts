/**
 * The results API's contract: request and response schemas of api-results (rankings, region
 * detail, history, summary) and their OpenAPI operations. The handler parses its outputs with the
 * same schemas the OpenAPI document is generated from, so the document cannot drift from the code.
 */
import * as z from 'zod';
import type { ApiOperation } from './openapi';

// --- requests -----------------------------------------------------------------------------------

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._:+-]*$/;

export const cycleIdSchema = z
  .string()
  .max(200)
  .regex(
    SEGMENT,
    'Kode siklus hanya berisi huruf, angka dan . _ : + - (mis. iid-2025) | A cycle id has only letters, digits and . _ : + - (e.g. iid-2025)',
  );

export const regionCodeSchema = z
  .string()
  .regex(
    /^\d{2}(\.\d{2})?$/,
    'Kode wilayah Kemendagri berbentuk PP atau PP.KK, mis. 18 atau 18.01 | A Kemendagri region code is PP or PP.KK, e.g. 18 or 18.01',
  );

export const runIdSchema = z
  .string()
  .max(200)
  .regex(
    SEGMENT,
    'Kode penilaian (run) hanya berisi huruf, angka dan . _ : + - | A run id has only letters, digits and . _ : + -',
  );

export const cycleParamsSchema = z.object({ cycleId: cycleIdSchema });
export const regionParamsSchema = z.object({ cycleId: cycleIdSchema, kode: regionCodeSchema });
export const historyParamsSchema = z.object({ kode: regionCodeSchema });

export const RESULT_FORMATS = ['json', 'csv', 'xlsx'] as const;

export const rankingsQuerySchema = z.object({
  cluster: z
    .string()
    .max(100)
    .regex(
      SEGMENT,
      'Klaster tidak sah; gunakan mis. provinsi, kabupaten atau kota | Invalid cluster; use e.g. provinsi, kabupaten or kota',
    )
    .default('kabupaten')
    .describe('Klaster peringkat / ranking cluster (provinsi, kabupaten, kota, …). Default: kabupaten.'),
  province: z
    .string()
    .regex(
      /^\d{2}$/,
      'Kode provinsi berupa dua digit, mis. 18 (Lampung) | A province code is two digits, e.g. 18 (Lampung)',
    )
    .optional()
    .describe('Hanya daerah di provinsi ini / only regions of this province (PP).'),
  predikat: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('Hanya predikat ini / only this predikat (exact label, e.g. "Sangat Inovatif").'),
  q: z
    .string()
    .max(100)
    .optional()
    .describe('Cari nama atau kode daerah / search region name or code (every word must match).'),
  limit: z.coerce
    .number()
    .int('Batas harus bilangan bulat | The limit must be a whole number')
    .min(1)
    .max(500)
    .default(50)
    .describe('Baris per halaman / rows per page, 1–500 (default 50). Ignored by exports.'),
  cursor: z
    .string()
    .max(2000)
    .optional()
    .describe('Kursor halaman berikutnya (`nextCursor`) / the next page cursor returned as `nextCursor`.'),
  run: runIdSchema
    .optional()
    .describe('Penilaian tertentu / a given run; default: the latest published (FINAL) run.'),
  format: z
    .enum(RESULT_FORMATS, 'Format ekspor: json, csv atau xlsx | Export format: json, csv or xlsx')
    .default('json')
    .describe('json (default), csv or xlsx (every filtered row, formula cells neutralised).'),
});
export type RankingsQuery = z.infer<typeof rankingsQuerySchema>;

export const regionQuerySchema = z.object({
  run: runIdSchema
    .optional()
    .describe('Penilaian tertentu / a given run; default: the latest published (FINAL) run.'),
});

export const summaryQuerySchema = regionQuerySchema;

export const historyQuerySchema = z.object({
  index: z
    .string()
    .regex(/^[A-Za-z]{2,10}$/, 'Indeks berupa iid, ikkd atau ipkd | The index is iid, ikkd or ipkd')
    .optional()
    .describe('Hanya indeks ini / only this index (iid, ikkd, ipkd).'),
});

// --- shared response parts ----------------------------------------------------------------------

export const bilingualSchema = z
  .object({ id: z.string(), en: z.string() })
  .meta({ id: 'BilingualText', description: 'Bahasa Indonesia (id) and English (en).' });

export const cycleRefSchema = z
  .object({
    cycleId: z.string(),
    index: z.string(),
    period: z.number().int(),
    name: z.string(),
    status: z.string(),
    publishAt: z.string().nullable(),
  })
  .meta({ id: 'CycleRef' });

export const runRefSchema = z
  .object({
    runId: z.string(),
    status: z.enum(['PROVISIONAL', 'FINAL']),
    /** FINAL run of a PUBLISHED cycle whose embargo has passed. */
    published: z.boolean(),
    startedAt: z.string(),
    finalizedAt: z.string().nullable(),
    methodology: z.object({ id: z.string(), hash: z.string() }),
    ledgerHead: z
      .object({ seq: z.number().int(), hash: z.string() })
      .nullable()
      .describe(
        "The cycle ledger's head (seq, hash) at the run's publication: `indeks ledger verify` checks the chain up to it. Null for a run published before the ledger existed.",
      ),
    notice: bilingualSchema
      .nullable()
      .describe('Why these results are not public yet (provisional or embargoed); null when published.'),
  })
  .meta({ id: 'RunRef' });

export const regionRefSchema = z
  .object({
    kode: z.string(),
    nama: z.string(),
    jenis: z.enum(['provinsi', 'kabupaten', 'kota']).nullable(),
    provinsi: z.string(),
    provinsiNama: z.string().nullable(),
  })
  .meta({ id: 'RegionRef' });

export const statisticsSchema = z
  .object({
    count: z.number().int(),
    mean: z.number(),
    median: z.number(),
    min: z.number(),
    max: z.number(),
    sd: z.number(),
    p25: z.number(),
    p75: z.number(),
  })
  .meta({ id: 'Statistics', description: 'Descriptive statistics of index values (population sd).' });

export const rankIntervalSchema = z
  .object({
    rank: z.number().int().describe('The official rank.'),
    median: z.number().int().describe('Median rank over the samples.'),
    p5: z.number().int().describe('5th percentile rank (best end of the interval).'),
    p95: z.number().int().describe('95th percentile rank (worst end of the interval).'),
    tiedWith: z
      .number()
      .int()
      .describe('How many other ranked regions of the cluster have an overlapping P5–P95 interval.'),
  })
  .meta({
    id: 'RankInterval',
    description:
      "Rank under the methodology's declared uncertainty (weights perturbed, alternative normalisations), Monte-Carlo with the run's recorded seed.",
  });

export const clusterRankSchema = z
  .object({
    cluster: z.string(),
    name: bilingualSchema.nullable(),
    rank: z.number().int().nullable(),
    interval: rankIntervalSchema.nullable().describe('Null when not ranked or the run has no intervals.'),
  })
  .meta({ id: 'ClusterRank' });

// --- GET /cycles/{cycleId}/rankings -------------------------------------------------------------

export const rankingItemSchema = z
  .object({
    kode: z.string(),
    nama: z.string(),
    provinsi: z.string(),
    provinsiNama: z.string().nullable(),
    rank: z.number().int().nullable().describe('Null when not ranked (ineligible, not assessable, …).'),
    index: z.number().nullable().describe('Full precision index value.'),
    display: z.string().nullable().describe("Published value, rounded to the methodology's decimals."),
    predikat: z.string().nullable(),
    eligible: z.boolean(),
    reason: z.string().nullable(),
    unranked: z
      .string()
      .nullable()
      .describe(
        'Why not ranked: ineligible, not-assessable, survey-below-minimum, not-submitted, invalid, failed (null when ranked).',
      ),
    previousRank: z.number().int().nullable().describe('Rank in the previous published cycle (same index).'),
    rankChange: z
      .number()
      .int()
      .nullable()
      .describe(
        'Places gained since the previous cycle (positive = moved up); null unless ranked both times.',
      ),
    interval: rankIntervalSchema
      .nullable()
      .describe('Rank interval in this cluster; null when not ranked or the run has no intervals.'),
  })
  .meta({ id: 'RankingItem' });

export const rankingPageSchema = z
  .object({
    cycle: cycleRefSchema,
    run: runRefSchema,
    cluster: z.object({ id: z.string(), name: bilingualSchema.nullable() }),
    filters: z.object({
      province: z.string().nullable(),
      predikat: z.string().nullable(),
      q: z.string().nullable(),
    }),
    previous: z
      .object({ cycleId: z.string(), period: z.number().int(), runId: z.string() })
      .nullable()
      .describe('The published run rank changes are measured against.'),
    total: z.number().int().describe('Rows matching the filters (all pages).'),
    items: z.array(rankingItemSchema),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'RankingPage' });
export type RankingPage = z.infer<typeof rankingPageSchema>;
export type RankingItem = z.infer<typeof rankingItemSchema>;

// --- GET /cycles/{cycleId}/regions/{kode} -------------------------------------------------------

export interface TraceNode {
  kind: 'aggregate' | 'indicator' | 'repeated-group';
  id?: string | undefined;
  code?: string | undefined;
  name: { id: string; en: string };
  weight: number;
  score: number | null;
  max: number;
  contribution: number | null;
  children?: TraceNode[] | undefined;
  [extra: string]: unknown;
}

/**
 * One node of the derivation trace (shared/domain/engine/trace.ts): aggregates (variables,
 * dimensions, aspects) with their children, indicators with the answer and level that produced
 * their score, repeated groups (innovations) as a per-item table. Extra members pass through.
 */
export const traceNodeSchema: z.ZodType<TraceNode> = z
  .looseObject({
    kind: z.enum(['aggregate', 'indicator', 'repeated-group']),
    id: z.string().optional(),
    code: z.string().optional(),
    name: bilingualSchema,
    weight: z.number(),
    score: z.number().nullable(),
    max: z.number(),
    contribution: z.number().nullable(),
    get children() {
      return z.array(traceNodeSchema).optional();
    },
  })
  .meta({ id: 'TraceNode' });

export const componentSchema = z
  .object({
    id: z.string(),
    name: bilingualSchema,
    depth: z.number().int().describe('1 = variable/aspect, 2 = dimension, …'),
    parent: z.string().nullable(),
    kind: z.enum(['aggregate', 'indicator', 'repeated-group']),
    weight: z.number(),
    score: z.number().nullable(),
    max: z.number(),
    contribution: z.number().nullable(),
    percent: z.number().nullable().describe('score / max × 100'),
  })
  .meta({ id: 'ScoreComponent' });

export const problemSchema = z
  .object({
    code: z.string(),
    severity: z.enum(['error', 'warning']),
    location: z.record(z.string(), z.union([z.string(), z.number()])),
    message_id: z.string(),
    message_en: z.string(),
  })
  .meta({ id: 'Problem' });

const phaseScoreSchema = z
  .object({ index: z.number(), display: z.string(), predikat: z.string(), predikatEn: z.string().optional() })
  .meta({ id: 'PhaseScore' });

/** One changed answer: its decision, reason and note, points and index before and after, and its effect. */
export const verificationChangeSchema = z.looseObject({
  answer: z.string(),
  decision: z.enum(['adjust', 'reject']),
  reason: z.string().optional(),
  note: z.string().optional(),
  pointsBefore: z.number(),
  pointsAfter: z.number(),
  indexBefore: z.string(),
  indexAfter: z.string(),
  effect: z.string(),
  at: z.string(),
});

/** Self-assessed, verified and final scores beside each other, with the changes that explain them. */
export const regionScoresSchema = z
  .object({
    phase: z
      .enum(['VERIFICATION', 'PROVISIONAL', 'SANGGAH', 'RESOLUTION', 'FINAL'])
      .nullable()
      .describe('The verification stage phase now; null before (or without) a verification stage.'),
    resultsOf: z
      .enum(['PROVISIONAL', 'FINAL'])
      .nullable()
      .describe(
        'Whose published results `verified`, `final` and `changes` are; null before provisional results.',
      ),
    self: phaseScoreSchema.nullable().describe('The self-assessed score (the run, or the stage results).'),
    verified: phaseScoreSchema.nullable(),
    final: phaseScoreSchema.optional().describe('Once final.'),
    changes: z
      .array(verificationChangeSchema)
      .describe(
        'Every changed answer in attribution order; the effects add up to (final or verified) − self.',
      ),
  })
  .meta({ id: 'RegionScores' });

export const regionDetailSchema = z
  .object({
    cycle: cycleRefSchema,
    run: runRefSchema,
    region: regionRefSchema,
    result: z.object({
      index: z.number().nullable(),
      display: z.string().nullable(),
      predikat: z.string().nullable(),
      predikatEn: z.string().nullable(),
      eligible: z.boolean(),
      assessable: z.boolean().nullable(),
      outcome: z.string().nullable().describe('scored, not-submitted, invalid, failed (when the run says).'),
      reasons: z.array(bilingualSchema),
      ranks: z.array(clusterRankSchema),
    }),
    eligibility: z.object({
      eligible: z.boolean(),
      reasons: z.array(
        z.object({
          rule: z.string(),
          field: z.string(),
          found: z.string().nullable(),
          message_id: z.string(),
          message_en: z.string(),
        }),
      ),
    }),
    methodology: z.object({
      id: z.string(),
      hash: z.string(),
      version: z.string().nullable(),
      period: z.number().int().nullable(),
    }),
    submission: z
      .object({
        submissionId: z.string(),
        uploadedAt: z.string().nullable(),
        objectKey: z.string().nullable(),
        versionId: z.string().nullable(),
      })
      .nullable()
      .describe('The submission this result was computed from; null when the region submitted nothing.'),
    survey: z
      .object({
        source: z.enum(['paper', 'channel']),
        label: z.object({ id: z.string(), en: z.string() }),
        scan: z.string().nullable(),
      })
      .nullable()
      .describe(
        "Where the survey dimensions' answers came from (IKKD): `channel` (respondents answered the survey form with one-time codes) or `paper` (a survey uploaded as a file; `scan` names its required scan evidence). Null without a survey.",
      ),
    components: z.array(componentSchema).describe('Variables/aspects and dimensions, for charts.'),
    trace: z.object({
      key: z.string().nullable(),
      available: z.boolean(),
      rawTotal: z.number().nullable(),
      rawMax: z.number().nullable(),
      scale: z.number().nullable(),
      breakdown: traceNodeSchema.nullable(),
      warnings: z.array(problemSchema),
    }),
    scores: regionScoresSchema,
  })
  .meta({ id: 'RegionDetail' });
export type RegionDetail = z.infer<typeof regionDetailSchema>;

// --- GET /cycles/{cycleId}/regions/{kode}/advice -------------------------------------------------

const adviceRankSchema = z
  .object({
    cluster: z.string(),
    name: bilingualSchema.nullable(),
    rank: z.number().int().describe('Rank in the cluster with the improvement.'),
    from: z.number().int().describe('Rank without it, counted the same way against the same regions.'),
  })
  .meta({ id: 'AdviceRank' });

export const improvementSchema = z
  .object({
    kind: z
      .enum(['indicator', 'item-indicator', 'new-item'])
      .describe(
        'One region-level answer one level up, one innovation indicator one level up, or one more innovation.',
      ),
    indicator: z.string().nullable(),
    indicatorName: bilingualSchema.nullable(),
    item: z.string().nullable().describe('The innovation (group item) concerned.'),
    group: z.string().nullable(),
    fromLevel: z.number().int().nullable(),
    toLevel: z.number().int(),
    description: bilingualSchema,
    index: z.number().describe('The new index (full precision).'),
    display: z.string().describe('The new published value.'),
    predikat: z.string(),
    predikatEn: z.string(),
    gain: z.number().describe('Index points gained.'),
    ranks: z.array(adviceRankSchema),
  })
  .meta({ id: 'Improvement' });

export const regionAdviceSchema = z
  .object({
    cycle: cycleRefSchema,
    run: runRefSchema,
    region: regionRefSchema,
    available: z.boolean().describe('False when the region has no scored submission in the run.'),
    baseline: z
      .object({
        index: z.number(),
        display: z.string(),
        predikat: z.string(),
        predikatEn: z.string(),
        ranks: z.array(adviceRankSchema),
      })
      .nullable(),
    improvements: z.array(improvementSchema).max(5),
  })
  .meta({ id: 'RegionAdvice' });
export type RegionAdvice = z.infer<typeof regionAdviceSchema>;

// --- GET /regions/{kode}/history ----------------------------------------------------------------

export const historyItemSchema = z
  .object({
    cycleId: z.string(),
    index: z.string(),
    period: z.number().int(),
    runId: z.string(),
    runStatus: z.enum(['PROVISIONAL', 'FINAL']),
    published: z.boolean(),
    score: z.number().nullable(),
    display: z.string().nullable(),
    predikat: z.string().nullable(),
    eligible: z.boolean(),
    ranks: z.array(z.object({ cluster: z.string(), rank: z.number().int() })),
    methodology: z.object({ id: z.string(), hash: z.string() }),
  })
  .meta({ id: 'HistoryItem' });

export const regionHistorySchema = z
  .object({
    region: regionRefSchema,
    index: z.string().nullable(),
    items: z.array(historyItemSchema).describe('Grouped by index, oldest period first.'),
  })
  .meta({ id: 'RegionHistory' });
export type RegionHistory = z.infer<typeof regionHistorySchema>;

// --- GET /cycles/{cycleId}/summary --------------------------------------------------------------

const countSchema = z.number().int().min(0);

export const participationSchema = z
  .object({
    expected: countSchema.describe('Regions assessed by the methodology (all 552 normally).'),
    uploaded: countSchema.describe('Regions that uploaded anything.'),
    accepted: countSchema.describe('Regions with an accepted (current) submission.'),
    scored: countSchema.describe('Regions scored in this run.'),
    notSubmitted: countSchema.describe('Regions that never uploaded anything.'),
    rate: z.number().describe('accepted / expected, 4 decimals.'),
    byJenis: z.array(
      z.object({
        jenis: z.enum(['provinsi', 'kabupaten', 'kota']),
        expected: countSchema,
        uploaded: countSchema,
        accepted: countSchema,
        scored: countSchema,
      }),
    ),
    byProvince: z.array(
      z.object({
        kode: z.string(),
        nama: z.string(),
        expected: countSchema,
        uploaded: countSchema,
        accepted: countSchema,
        scored: countSchema,
      }),
    ),
    neverSubmitted: z
      .array(regionRefSchema)
      .describe('Regions that never uploaded anything in this cycle ("Tidak Dapat Dinilai").'),
  })
  .meta({ id: 'Participation' });

export const clusterSummarySchema = z
  .object({
    id: z.string(),
    name: bilingualSchema.nullable(),
    members: countSchema,
    ranked: countSchema,
    unranked: countSchema,
    distribution: z.array(z.object({ predikat: z.string(), count: countSchema })),
    statistics: statisticsSchema.nullable().describe('Over the ranked members.'),
    top: z.array(
      z.object({
        kode: z.string(),
        nama: z.string(),
        rank: z.number().int(),
        display: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'ClusterSummary' });

export const summarySchema = z
  .object({
    cycle: cycleRefSchema,
    run: runRefSchema,
    predikat: z
      .object({
        bands: z.array(z.object({ label: z.string(), en: z.string(), min: z.number(), max: z.number() })),
        notAssessable: z.object({ label: z.string(), en: z.string() }),
      })
      .nullable()
      .describe("The methodology's bands (null when the methodology is not known to this API)."),
    clusters: z.array(clusterSummarySchema),
    participation: participationSchema,
    national: z.object({
      statistics: statisticsSchema
        .nullable()
        .describe('Over assessed regions ("Tidak Dapat Dinilai" excluded).'),
      byJenis: z.array(
        z.object({
          jenis: z.enum(['provinsi', 'kabupaten', 'kota']),
          statistics: statisticsSchema.nullable(),
        }),
      ),
      distribution: z.array(z.object({ predikat: z.string(), count: countSchema })),
    }),
  })
  .meta({ id: 'ResultsSummary' });
export type ResultsSummary = z.infer<typeof summarySchema>;

// --- errors -------------------------------------------------------------------------------------

/** RFC 9457 problem document as shared/http/api.ts renders it. */
export const problemDetailsSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().describe('English.'),
    detail_id: z.string().describe('Bahasa Indonesia.'),
    problems: z.array(problemSchema).optional().describe('Every input to fix, when the request was invalid.'),
  })
  .meta({ id: 'ProblemDetails' });

// --- OpenAPI operations -------------------------------------------------------------------------

const AUTH_ERRORS: Record<number, string> = {
  400: 'Permintaan tidak sah / invalid request: `problems` names every input to fix.',
  401: 'Token tidak ada atau tidak sah / missing or invalid token.',
  403: 'Akun tanpa peran / the account has no role.',
  404: 'Tidak ditemukan, belum diterbitkan, atau bukan wilayah Anda / not found, not published yet, or not your region.',
};

const VISIBILITY =
  'Published results (FINAL run of a PUBLISHED cycle, embargo passed): every role. Provisional runs and ' +
  'embargoed cycles: assessor, leadership, admin only; operators get 404.';

export const RESULTS_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/cycles/{cycleId}/rankings',
    operationId: 'listRankings',
    tags: ['results'],
    summary: 'Peringkat per klaster / ranking of a cluster',
    description: `Ranking of the latest published run (or \`run\`) in one cluster, filtered by province, predikat and a search, with the change of rank versus the previous published cycle of the same index. Cursor pagination; \`format=csv|xlsx\` exports every filtered row with bilingual headers and formula cells neutralised. ${VISIBILITY}`,
    params: cycleParamsSchema,
    query: rankingsQuerySchema,
    response: rankingPageSchema,
    alternatives: {
      'text/csv': 'CSV export (UTF-8 with BOM).',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX export.',
    },
    cacheable: true,
    errors: { ...AUTH_ERRORS, 409: 'The given run is still running or failed.' },
  },
  {
    method: 'get',
    path: '/cycles/{cycleId}/regions/{kode}',
    operationId: 'getRegionResult',
    tags: ['results'],
    summary: 'Kartu nilai daerah / a region’s score card',
    description: `A region's result in the latest published run (or \`run\`): index, predikat, ranks per cluster, eligibility, the submission it came from, the methodology hash, and the full derivation trace. Operators see their own region only (another region: 404). ${VISIBILITY}`,
    params: regionParamsSchema,
    query: regionQuerySchema,
    response: regionDetailSchema,
    cacheable: true,
    errors: { ...AUTH_ERRORS, 409: 'The given run is still running or failed.' },
  },
  {
    method: 'get',
    path: '/cycles/{cycleId}/regions/{kode}/advice',
    operationId: 'getRegionAdvice',
    tags: ['results'],
    summary: 'Apa yang menaikkan peringkat saya? / what moves my rank?',
    description: `The five single improvements (one indicator answer one level up, or one more accepted innovation of a given quality) that raise the region's index and rank most, each with the new index, published value, predikat and rank within its clusters, computed on the fast engine against the run's other regions. Visible exactly when the region's score card is: operators see their own region once published. ${VISIBILITY}`,
    params: regionParamsSchema,
    query: regionQuerySchema,
    response: regionAdviceSchema,
    cacheable: true,
    errors: {
      ...AUTH_ERRORS,
      409: "The given run is still running or failed, or the run's methodology is no longer shipped.",
    },
  },
  {
    method: 'get',
    path: '/cycles/{cycleId}/summary',
    operationId: 'getResultsSummary',
    tags: ['results'],
    summary: 'Ringkasan hasil / results summary',
    description: `Predikat distribution per cluster, participation (incl. the regions that never submitted) and national statistics of the latest published run (or \`run\`). ${VISIBILITY}`,
    params: cycleParamsSchema,
    query: summaryQuerySchema,
    response: summarySchema,
    cacheable: true,
    errors: { ...AUTH_ERRORS, 409: 'The given run is still running or failed.' },
  },
  {
    method: 'get',
    path: '/regions/{kode}/history',
    operationId: 'getRegionHistory',
    tags: ['results'],
    summary: 'Riwayat hasil daerah / a region’s results across cycles',
    description:
      "A region's result in every cycle (optionally one index). Operators see their own region's published results only; assessors, leadership and admins also see provisional ones (`published: false`).",
    params: historyParamsSchema,
    query: historyQuerySchema,
    response: regionHistorySchema,
    cacheable: true,
    errors: AUTH_ERRORS,
  },
];

/** Every named schema of the results API (components of the OpenAPI document). */
export const RESULTS_SCHEMAS: Record<string, z.ZodType> = {
  RankingPage: rankingPageSchema,
  RegionDetail: regionDetailSchema,
  RegionAdvice: regionAdviceSchema,
  RegionHistory: regionHistorySchema,
  ResultsSummary: summarySchema,
};
