import * as z from 'zod';

/**
 * The methodology file format: one index for one period, fully described as data.
 * Next year's re-weighting is a new file, never code.
 */

const text = z.object({ id: z.string().min(1), en: z.string().min(1) });
export type BilingualText = z.infer<typeof text>;

const code = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'kode hanya memakai huruf, angka, ".", "_" atau "-" | a code uses letters, digits, ".", "_" or "-"',
  );

/** A numeric band: which level a raw value earns. Bounds are explicit about which side they fall on. */
const numericBand = z
  .object({
    level: z.number().int().min(0),
    min: z.number().optional(),
    minInclusive: z.boolean().default(true),
    max: z.number().optional(),
    maxInclusive: z.boolean().default(false),
  })
  .strict();
export type NumericBand = z.infer<typeof numericBand>;

const levelOption = z
  .object({
    level: z.number().int().min(1),
    label: text,
    /** The value the level is worth; defaults to the level number itself (IID: weight x level). */
    value: z.number().min(0).optional(),
  })
  .strict();

const direction = z.enum(['higher-is-better', 'lower-is-better']);
export type Direction = z.infer<typeof direction>;

export const scoringRuleSchema = z.discriminatedUnion('type', [
  /** The operator picks a level; the level is worth its value. */
  z.object({ type: z.literal('level'), levels: z.array(levelOption).min(1) }).strict(),
  /** A numeric value is mapped to a level by contiguous bands. */
  z
    .object({
      type: z.literal('bands'),
      direction,
      unit: z.string().optional(),
      bands: z.array(numericBand).min(1),
      levels: z.array(levelOption).min(1),
      /** Says, for people, which side each ambiguous boundary of the source falls on. */
      boundaryNote: z.string().optional(),
    })
    .strict(),
  /** Fixed goalposts: value rescaled to 0..scale between worst and best, clamped. */
  z
    .object({
      type: z.literal('goalpost'),
      direction,
      unit: z.string().optional(),
      worst: z.number(),
      best: z.number(),
      scale: z.number().positive().default(100),
    })
    .strict(),
  /** Relative: min-max across the regions of a national run. */
  z
    .object({
      type: z.literal('min-max'),
      direction,
      unit: z.string().optional(),
      scale: z.number().positive().default(100),
    })
    .strict(),
  /** Relative: z-score across the regions of a run, mapped to center + spread * z, clamped to 0..scale. */
  z
    .object({
      type: z.literal('z-score'),
      direction,
      unit: z.string().optional(),
      center: z.number().default(50),
      spread: z.number().positive().default(10),
      scale: z.number().positive().default(100),
    })
    .strict(),
  /** A survey dimension: mean of item means over valid respondents, rescaled to 0..scale. */
  z
    .object({
      type: z.literal('survey'),
      items: z.array(code).min(1),
      scale: z.number().positive().default(100),
    })
    .strict(),
]);
export type ScoringRule = z.infer<typeof scoringRuleSchema>;

export const indicatorSchema = z
  .object({
    code,
    name: text,
    /** Grouping label for people (IID "variabel"); the scoring hierarchy is in `root`. */
    category: z.string().optional(),
    mandatory: z.boolean().default(false),
    evidenceRequired: z.boolean().default(false),
    rule: scoringRuleSchema,
    notes: z.string().optional(),
  })
  .strict();
export type Indicator = z.infer<typeof indicatorSchema>;

const aggregation = z.enum(['weighted-sum', 'weighted-mean', 'geometric-mean']);
export type Aggregation = z.infer<typeof aggregation>;

const basicServiceCondition = z
  .object({
    type: z.literal('covers'),
    /** The item field whose distinct values must be covered, e.g. `urusan`. */
    field: z.string().min(1),
    values: z.array(z.string().min(1)).min(1),
    atLeast: z.number().int().min(1),
  })
  .strict();

const countScore = z
  .object({
    perItem: z.number().min(0),
    cap: z.number().int().min(0),
    counts: z.enum(['accepted', 'all']).default('accepted'),
    condition: basicServiceCondition.optional(),
  })
  .strict();
export type CountScore = z.infer<typeof countScore>;

export type HierarchyNode = IndicatorRefNode | AggregateNode | RepeatedGroupNode;

export interface IndicatorRefNode {
  kind: 'indicator';
  indicator: string;
  weight: number;
}

export interface AggregateNode {
  kind: 'aggregate';
  id: string;
  name: BilingualText;
  weight: number;
  aggregation: Aggregation;
  children: HierarchyNode[];
}

/** IID's SID form: sum over a repeated group divided by MAX(minDivisor, n), plus a count score. */
export interface RepeatedGroupNode {
  kind: 'repeated-group';
  id: string;
  name: BilingualText;
  weight: number;
  group: string;
  minDivisor: number;
  /** Aggregation inside one item (one innovation); children are indicator refs or aggregates. */
  item: AggregateNode;
  countScore?: CountScore;
}

const indicatorRefNode = z
  .object({ kind: z.literal('indicator'), indicator: code, weight: z.number().min(0).default(1) })
  .strict();

// Recursion through getters keeps the discriminated union, so errors name the exact path.
const aggregateNode = z
  .object({
    kind: z.literal('aggregate'),
    id: code,
    name: text,
    weight: z.number().min(0).default(1),
    aggregation,
    get children(): z.ZodArray<z.ZodType<HierarchyNode, unknown>> {
      return z.array(hierarchyNode).min(1);
    },
  })
  .strict();

const repeatedGroupNode = z
  .object({
    kind: z.literal('repeated-group'),
    id: code,
    name: text,
    weight: z.number().min(0).default(1),
    group: code,
    minDivisor: z.number().int().min(1).default(1),
    item: aggregateNode,
    countScore: countScore.optional(),
  })
  .strict();

const hierarchyNode: z.ZodType<HierarchyNode, unknown> = z
  .discriminatedUnion('kind', [indicatorRefNode, aggregateNode, repeatedGroupNode])
  .meta({ id: 'HierarchyNode' });

const groupField = z
  .object({
    key: z.string().regex(/^[a-z][a-zA-Z0-9]*$/),
    label: text,
    type: z.enum(['text', 'code', 'year']),
    required: z.boolean().default(false),
    /** For `year`: how many years before the methodology's period an item may start. */
    maxAgeYears: z.number().int().min(0).optional(),
  })
  .strict();

const groupSchema = z
  .object({
    id: code,
    name: text,
    itemLabel: text,
    maxItems: z.number().int().min(1).default(1000),
    fields: z.array(groupField).default([]),
  })
  .strict();
export type GroupDefinition = z.infer<typeof groupSchema>;

/** A predikat band on the displayed (rounded) value; both bounds inclusive. */
const predikatBand = z
  .object({ label: z.string().min(1), en: z.string().min(1), min: z.number(), max: z.number() })
  .strict();
export type PredikatBand = z.infer<typeof predikatBand>;

const eligibilityRule = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('in'),
      id: code,
      field: z.string().min(1),
      /** The accepted values. */
      values: z.array(z.string()).min(1),
      /** Every value the field may be declared with, accepted or not (templates offer these). */
      choices: z.array(z.string()).min(1).optional(),
      reason: text,
    })
    .strict(),
  z
    .object({
      type: z.literal('at-least'),
      id: code,
      field: z.string().min(1),
      /** Worst to best. */
      order: z.array(z.string()).min(2),
      min: z.string(),
      reason: text,
    })
    .strict(),
]);
export type EligibilityRule = z.infer<typeof eligibilityRule>;

const clusterSchema = z
  .object({
    id: code,
    name: text,
    /** All given conditions must hold. */
    match: z
      .object({
        jenis: z.array(z.enum(['provinsi', 'kabupaten', 'kota'])).optional(),
        codes: z.array(z.string()).optional(),
        profile: z
          .object({ field: z.string(), values: z.array(z.string()).min(1) })
          .strict()
          .optional(),
      })
      .strict(),
  })
  .strict();
export type ClusterDefinition = z.infer<typeof clusterSchema>;

const surveySchema = z
  .object({
    scale: z.object({ min: z.number().int(), max: z.number().int() }).strict(),
    minRespondents: z.number().int().min(1),
    roles: z.array(z.string()).optional(),
    /**
     * Respondent quotas per role for the survey channel (issue 14): the region's respondent list
     * must hold at least `min` of each listed role (and at most `max` when given), so the region
     * cannot fill the survey with its own staff. Roles must be among `roles`.
     */
    quotas: z
      .array(
        z
          .object({
            role: z.string(),
            name: text,
            min: z.number().int().min(0),
            max: z.number().int().min(1).optional(),
          })
          .strict(),
      )
      .optional(),
    items: z.array(z.object({ code, text }).strict()).min(1),
  })
  .strict();
export type SurveyDefinition = z.infer<typeof surveySchema>;

/**
 * How uncertain the methodology says its own choices are: the national run draws `samples`
 * variants (weights perturbed, relative indicators normalised another way) and reports each
 * region's rank interval. Every field is optional; absent means the defaults below.
 */
export const uncertaintySchema = z
  .object({
    /** Monte-Carlo samples per national run (default 1,000). */
    samples: z.number().int().min(1).max(100_000).optional(),
    /** PRNG seed (unsigned 32-bit); default derived from the methodology hash. Recorded in the run. */
    seed: z.number().int().min(0).max(0xffffffff).optional(),
    weights: z
      .object({
        /** Each weight drawn uniformly in w × (1 ± perturbation), renormalised within its parent (default 0.25). */
        perturbation: z.number().min(0).max(0.95).optional(),
        /** Per node id or indicator code: its own perturbation (0 = the weight is certain). */
        overrides: z.record(z.string(), z.number().min(0).max(0.95)).optional(),
      })
      .strict()
      .optional(),
    /** Normalisations a relative (min-max, z-score) indicator may be drawn with besides its own (default both). */
    normalisations: z.array(z.enum(['min-max', 'z-score'])).optional(),
  })
  .strict();
export type UncertaintyDeclaration = z.infer<typeof uncertaintySchema>;

export const methodologySchema = z
  .object({
    $schema: z.string().optional(),
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    index: z.enum(['iid', 'ikkd', 'ipkd']),
    name: text,
    period: z.number().int().min(2000).max(2100),
    version: z.string().min(1),
    /** Present when weights or details are not official: shown with every result. */
    disclaimer: z.string().optional(),
    source: z.string().optional(),
    output: z
      .object({
        scale: z.number().positive().default(100),
        decimals: z.number().int().min(0).max(6).default(2),
        /** Declared maximum of the raw total; checked against the hierarchy. */
        expectedRawMax: z.number().positive().optional(),
      })
      .strict(),
    indicators: z.array(indicatorSchema).min(1),
    groups: z.array(groupSchema).default([]),
    root: aggregateNode,
    predikat: z
      .object({
        bands: z.array(predikatBand).min(1),
        notAssessable: z.object({ label: z.string().min(1), en: z.string().min(1) }).strict(),
      })
      .strict(),
    eligibility: z.array(eligibilityRule).default([]),
    clusters: z.array(clusterSchema).min(1),
    survey: surveySchema.optional(),
    uncertainty: uncertaintySchema.optional(),
  })
  .strict();

export type Methodology = z.infer<typeof methodologySchema>;
export type MethodologyInput = z.input<typeof methodologySchema>;
