/**
 * The cycles API's contract: request (and documented response) schemas of api-cycles and their
 * OpenAPI operations. Messages are "Bahasa Indonesia | English" (see zodProblems).
 */
import * as z from 'zod';
import { CYCLE_TIME_ZONE } from '#domain/cycle';
import type { ApiOperation } from '#http/openapi';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._:+-]*$/;

/** New cycle ids: also a Step Functions execution name prefix and a Scheduler schedule name prefix. */
export const newCycleIdSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{1,47}$/,
    'Kode siklus: huruf kecil, angka dan "-", 2–48 karakter (mis. iid-2026) | Cycle id: lower-case letters, digits and "-", 2–48 characters (e.g. iid-2026)',
  );

const segment = (what_id: string, what_en: string) =>
  z
    .string()
    .max(200)
    .regex(
      SEGMENT,
      `${what_id} hanya berisi huruf, angka dan . _ : + - | ${what_en} has only letters, digits and . _ : + -`,
    );

export const regionCodeSchema = z
  .string()
  .regex(
    /^\d{2}(\.\d{2})?$/,
    'Kode wilayah Kemendagri berbentuk PP atau PP.KK, mis. 18.01 | A Kemendagri region code is PP or PP.KK, e.g. 18.01',
  );

const day = z.iso.date({ error: 'Tanggal YYYY-MM-DD | A date YYYY-MM-DD' });
const instant = z.iso.datetime({
  offset: true,
  error:
    'Waktu ISO 8601 dengan zona, mis. 2026-03-31T23:59:00+07:00 | An ISO 8601 instant with an offset, e.g. 2026-03-31T23:59:00+07:00',
});
/** A day (that day 00:00 WIB) or an instant. */
export const momentSchema = z
  .union([day, instant])
  .describe('YYYY-MM-DD (00:00 WIB) or an ISO 8601 instant with offset.');
/** A day (that day 23:59 WIB, the usual deadline) or an instant. */
export const deadlineSchema = z
  .union([day, instant])
  .describe('YYYY-MM-DD (23:59 WIB that day) or an ISO 8601 instant with offset.');
const graceSchema = z
  .number()
  .int()
  .min(0)
  .max(1440, 'Masa tenggang paling lama 1440 menit | The grace is at most 1440 minutes')
  .describe('Minutes after the deadline during which late uploads are still accepted.');

export const cycleParams = z.object({ cycleId: segment('Kode siklus', 'A cycle id') });
export const runParams = z.object({
  cycleId: segment('Kode siklus', 'A cycle id'),
  runId: segment('Kode penilaian', 'A run id'),
});

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional().describe('Cycles per page (default 50).'),
  cursor: z.string().max(2000).optional().describe('From the previous page.'),
});

export const templateQuery = z.object({
  region: regionCodeSchema.optional().describe("Region code; an operator's own region by default."),
});

export const ledgerQuery = z.object({
  format: z
    .enum(['json', 'jsonl'])
    .optional()
    .describe('json (default): the entries in an object; jsonl: the export format, one entry per line.'),
});

const ledgerEntryView = z
  .object({
    cycleId: z.string(),
    seq: z.number().int(),
    at: z.string(),
    actor: z.object({ sub: z.string(), role: z.string() }),
    action: z.string(),
    subject: z.record(z.string(), z.string()),
    before: z.unknown().optional(),
    after: z.unknown().optional(),
    reason: z.string().optional(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .describe(
    'One ledger entry; hash = sha256 of its canonical JSON without "hash" (docs/architecture.md "Ledger").',
  );

export const ledgerViewSchema = z.object({
  cycleId: z.string(),
  count: z.number().int(),
  head: z.object({ seq: z.number().int(), hash: z.string() }),
  entries: z.array(ledgerEntryView),
});

export const calendarInput = z
  .object({
    opensAt: momentSchema,
    closesAt: deadlineSchema,
    graceMinutes: graceSchema.optional(),
    nationalRunAt: momentSchema,
    publishAt: momentSchema.optional(),
  })
  .strict();
export type CalendarInput = z.infer<typeof calendarInput>;

export const createCycleBody = z
  .object({
    cycleId: newCycleIdSchema.optional().describe('Default: the methodology id.'),
    methodologyId: z.string().min(1).max(100).describe('A shipped methodology, e.g. iid-2026.'),
    name: z.string().trim().min(3).max(200).optional(),
    calendar: calendarInput,
    ledgerRetentionDays: z
      .number()
      .int()
      .min(1)
      .max(36500)
      .optional()
      .describe('Days each ledger export stays under S3 Object Lock (governance mode). Default 3650.'),
  })
  .strict();
export type CreateCycleBody = z.infer<typeof createCycleBody>;

export const calendarChangeBody = z
  .object({
    version: z
      .number()
      .int()
      .min(1)
      .describe('The cycle version read last (optimistic locking: a stale one answers 409).'),
    extension: z
      .object({ until: deadlineSchema, reason: z.string().trim().min(3).max(500) })
      .strict()
      .optional()
      .describe('Extend the deadline (appended to the extensions).'),
    opensAt: momentSchema.optional().describe('Only while DRAFT.'),
    closesAt: deadlineSchema.optional().describe('Only while DRAFT; afterwards, extend.'),
    graceMinutes: graceSchema.optional(),
    nationalRunAt: momentSchema.optional(),
    publishAt: momentSchema.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 1, {
    message: 'Tidak ada perubahan kalender | No calendar change given',
  });
export type CalendarChangeBody = z.infer<typeof calendarChangeBody>;

export const rerunBody = z
  .object({ reason: z.string().trim().min(3).max(500).describe('Why the cycle is assessed again.') })
  .strict();

// --- documented responses -----------------------------------------------------------------------

const bilingual = z.object({ id: z.string(), en: z.string() });
const statusChange = z.object({
  status: z.string(),
  at: z.string(),
  by: z.string().optional(),
  reason: z.string().optional(),
});

export const runViewSchema = z
  .object({
    runId: z.string(),
    status: z.enum(['RUNNING', 'PROVISIONAL', 'FINAL', 'FAILED']),
    trigger: z.string(),
    startedAt: z.string(),
    completedAt: z.string().optional(),
    finalizedAt: z.string().optional(),
    finalizedBy: z.string().optional(),
    regionCount: z.number().int(),
    methodology: z.object({ id: z.string(), hash: z.string() }),
    counts: z
      .object({
        regions: z.number().int(),
        scored: z.number().int(),
        failed: z.number().int(),
        ineligible: z.number().int(),
        ranked: z.number().int(),
      })
      .optional(),
    history: z.array(statusChange),
    failure: z.object({ error: z.string().optional(), cause: z.string().optional() }).optional(),
  })
  .meta({ id: 'CycleRun' });

const calendarView = z.object({
  timeZone: z.literal(CYCLE_TIME_ZONE),
  opensAt: z.string(),
  closesAt: z.string(),
  extensions: z.array(
    z.object({
      until: z.string(),
      reason: z.string(),
      decidedBy: z.string().optional(),
      decidedAt: z.string(),
    }),
  ),
  graceMinutes: z.number().int().optional(),
  nationalRunAt: z.string(),
  publishAt: z.string().optional(),
  effectiveDeadline: z.string().describe('The last extension, or the original deadline.'),
  effectiveDeadlineWib: z.string().describe('e.g. 30-04-2026 23:59 WIB'),
  window: z.enum(['not-open', 'open', 'grace', 'closed']),
});

export const cycleSummarySchema = z
  .object({
    cycleId: z.string(),
    index: z.string(),
    period: z.number().int(),
    name: z.string(),
    status: z.enum(['DRAFT', 'OPEN', 'CLOSED', 'ASSESSING', 'ASSESSED', 'PUBLISHED']),
    version: z.number().int(),
    methodology: z.object({ id: z.string(), hash: z.string() }),
    calendar: calendarView,
    nextTransitionAt: z.string().optional(),
  })
  .meta({ id: 'CycleSummary' });

export const cycleDetailSchema = cycleSummarySchema
  .extend({
    statusHistory: z.array(statusChange),
    currentRunId: z.string().optional(),
    runs: z.array(runViewSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'CycleDetail' });

const scheduleSync = z.object({
  scheduled: z.array(
    z.object({ name: z.string(), transition: z.string(), dueAt: z.string(), expression: z.string() }),
  ),
  removed: z.array(z.string()),
});

export const cycleChangeSchema = z
  .object({
    cycle: cycleDetailSchema,
    schedules: scheduleSync.optional(),
    scheduleWarning: bilingual.optional().describe('The data is saved; the 15-minute safety net applies it.'),
  })
  .meta({ id: 'CycleChange' });

export const rerunSchema = z
  .object({ cycleId: z.string(), runId: z.string(), status: z.literal('STARTING') })
  .meta({ id: 'RerunStarted' });

export const publishSchema = z
  .object({ cycle: cycleDetailSchema, run: runViewSchema, historyRecorded: z.number().int() })
  .meta({ id: 'RunPublished' });

export const healthSchema = z.object({
  status: z.literal('ok'),
  service: z.string(),
  time: z.string(),
  methodologies: z.array(z.string()),
});

const errors = (more: Record<number, string> = {}): Record<number, string> => ({
  400: 'Permintaan tidak sah / invalid request: `problems` names every input to fix.',
  401: 'Token tidak ada atau tidak sah / missing or invalid token.',
  403: 'Peran tidak berwenang / the role may not do this.',
  ...more,
});
const NOT_FOUND = 'Siklus (atau penilaian) tidak ditemukan / cycle (or run) not found.';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const CYCLES_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/cycles/{cycleId}/ledger',
    operationId: 'getLedger',
    tags: ['cycles'],
    summary: 'Buku besar siklus / the cycle ledger',
    description:
      'Admin and leadership. The append-only, hash-chained ledger of the cycle in seq order, as stored (not judged: `indeks ledger verify` recomputes the chain). `?format=jsonl` gives the export format (ledger.jsonl).',
    params: cycleParams,
    query: ledgerQuery,
    response: ledgerViewSchema,
    alternatives: {
      'application/x-ndjson': 'With ?format=jsonl: one entry per line, in seq order (ledger.jsonl).',
    },
    errors: errors({ 404: NOT_FOUND }),
  },
  {
    method: 'get',
    path: '/cycles',
    operationId: 'listCycles',
    tags: ['cycles'],
    summary: 'Daftar siklus / list cycles',
    description: 'Every cycle, newest period first, with its calendar and window state. Every role.',
    query: listQuery,
    response: z.object({ items: z.array(cycleSummarySchema), cursor: z.string().optional() }),
    cacheable: true,
    errors: errors(),
  },
  {
    method: 'post',
    path: '/cycles',
    operationId: 'createCycle',
    tags: ['cycles'],
    summary: 'Buat siklus / create a cycle',
    description:
      'Admin. A cycle of a shipped methodology with its calendar (WIB). Schedules its transitions (EventBridge Scheduler, Asia/Jakarta).',
    body: createCycleBody,
    response: cycleChangeSchema,
    status: 201,
    errors: errors({ 409: 'The cycle id is taken.' }),
  },
  {
    method: 'get',
    path: '/cycles/{cycleId}',
    operationId: 'getCycle',
    tags: ['cycles'],
    summary: 'Siklus / a cycle',
    description:
      'Calendar with the effective deadline, status and its history, methodology id and hash, and runs (operators: FINAL runs only). Every role.',
    params: cycleParams,
    response: cycleDetailSchema,
    cacheable: true,
    errors: errors({ 404: NOT_FOUND }),
  },
  {
    method: 'put',
    path: '/cycles/{cycleId}/calendar',
    operationId: 'changeCalendar',
    tags: ['cycles'],
    summary: 'Ubah kalender, perpanjang batas waktu / change the calendar, extend the deadline',
    description:
      'Admin. An extension is a data change (no redeploy); reopens a CLOSED window; reschedules. Guarded by `version`.',
    params: cycleParams,
    body: calendarChangeBody,
    response: cycleChangeSchema,
    errors: errors({ 404: NOT_FOUND, 409: 'Stale version, or the calendar can no longer change.' }),
  },
  {
    method: 'post',
    path: '/cycles/{cycleId}/runs',
    operationId: 'rerunAssessment',
    tags: ['cycles'],
    summary: 'Ulangi penilaian nasional / re-run the national assessment',
    description:
      'Admin. Starts a new national run (new run id; earlier runs are kept). From CLOSED, ASSESSED, or ASSESSING after a failed run.',
    params: cycleParams,
    body: rerunBody,
    response: rerunSchema,
    status: 202,
    errors: errors({ 404: NOT_FOUND, 409: 'Window open, a run in progress, or already published.' }),
  },
  {
    method: 'post',
    path: '/cycles/{cycleId}/runs/{runId}/publish',
    operationId: 'publishRun',
    tags: ['cycles'],
    summary: 'Terbitkan hasil FINAL / publish a run as FINAL',
    description:
      "Admin. PROVISIONAL → FINAL (explicit), every region's history as FINAL, cycle → PUBLISHED. Only the cycle's current, complete run.",
    params: runParams,
    response: publishSchema,
    errors: errors({ 404: NOT_FOUND, 409: 'Not PROVISIONAL, not the current run, or incomplete.' }),
  },
  {
    method: 'get',
    path: '/cycles/{cycleId}/template',
    operationId: 'downloadTemplate',
    tags: ['cycles'],
    summary: 'Unduh templat isian / download the data template',
    description:
      "The XLSX data-entry template of the cycle's methodology for one region. Operators: their own region only (another: 404).",
    params: cycleParams,
    query: templateQuery,
    alternatives: { [XLSX]: 'The template workbook.' },
    errors: errors({ 404: `${NOT_FOUND} Or not your region.` }),
  },
  {
    method: 'get',
    path: '/health',
    operationId: 'health',
    tags: ['meta'],
    summary: 'Kesehatan layanan / health',
    description: 'Public.',
    response: healthSchema,
    public: true,
    errors: {},
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApi',
    tags: ['meta'],
    summary: 'Dokumen OpenAPI / this document',
    description: 'Public.',
    response: z.record(z.string(), z.unknown()),
    cacheable: true,
    public: true,
    errors: {},
  },
];
