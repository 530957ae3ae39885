import { createHash } from 'node:crypto';
import type { CycleRepository } from '#adapters/dynamo/cycles';
import type { CycleRecord, SurveyRepository } from '#adapters/dynamo/index';
import { effectiveDeadline, formatWib, windowState } from '#domain/cycle';
import type { LoadedMethodology } from '#domain/methodology/load';
import type { SurveyDefinition } from '#domain/methodology/schema';
import { hasErrors, type Problem } from '#domain/problems';
import { findRegion } from '#domain/regions';
import {
  answerBodySchema,
  categoryCounts,
  codeFromBytes,
  codeHash,
  formatCode,
  invitationLink,
  type ListedRespondent,
  quotaProblems,
  type RespondentEntry,
  responseRates,
  type SurveyForm,
  surveyForm,
  surveyScores,
} from '#domain/survey/index';
import { checkRespondentList } from '#domain/survey/respondents';
import { badRequest, conflict, DomainError, notFound } from '#http/errors';
import { respondentListFromFile } from '#intake/survey/respondent-list';
import { MAX_CLIENT_LIMIT } from './contract';
import type { IssuedInvitation } from './exports';

export interface SurveyDeps {
  cycles: Pick<CycleRepository, 'get'>;
  survey: SurveyRepository;
  methodologyOf: (id: string) => LoadedMethodology | undefined;
  now: () => Date;
  /** `crypto.randomBytes`; injected so tests can count the entropy taken. */
  randomBytes: (n: number) => Uint8Array;
  /**
   * The deployment's requests per client per minute on the form routes (SURVEY_CLIENT_LIMIT_PER_MINUTE,
   * default `CLIENT_LIMIT.limit`); a cycle's own setting (an admin's, with a reason) replaces it.
   */
  clientLimitPerMinute: number;
}

export interface SurveyCycle {
  cycle: CycleRecord;
  methodology: LoadedMethodology;
  survey: SurveyDefinition;
}

/** The cycle and its survey; a cycle whose methodology has no survey is a 404 for these routes. */
export async function surveyCycle(deps: SurveyDeps, cycleId: string): Promise<SurveyCycle> {
  const cycle = await deps.cycles.get(cycleId);
  const methodology = cycle ? deps.methodologyOf(cycle.methodology.id) : undefined;
  if (!cycle || !methodology?.survey)
    throw notFound(`Survei siklus ${cycleId}`, `The survey of cycle ${cycleId}`);
  return { cycle, methodology, survey: methodology.survey };
}

export function assertRegion(kode: string): void {
  if (!findRegion(kode)) throw notFound(`Wilayah ${kode}`, `Region ${kode}`);
}

/** The list with its counts per quota category and what is still missing. */
export async function listView(deps: SurveyDeps, sc: SurveyCycle, kode: string) {
  const respondents = await deps.survey.listRespondents(sc.cycle.cycleId, kode);
  return {
    cycleId: sc.cycle.cycleId,
    kode,
    minRespondents: sc.survey.minRespondents,
    respondents,
    categories: categoryCounts(sc.survey, respondents),
    problems: quotaProblems(sc.survey, respondents),
    invited: respondents.filter((r) => r.invited && !r.removed).length,
  };
}

const invalidList = (problems: Problem[]) =>
  badRequest(
    'RESPONDENT_LIST_INVALID',
    'Daftar responden belum memenuhi ketentuan; perbaiki semua masalah di "problems" lalu kirim ulang.',
    'The respondent list does not meet the rules; fix every problem in "problems" and send it again.',
    problems,
  );

export async function replaceList(
  deps: SurveyDeps,
  sc: SurveyCycle,
  kode: string,
  body: { respondents: RespondentEntry[] } | { file: { name: string; base64: string } },
  by: string,
): Promise<ListedRespondent[]> {
  let entries: RespondentEntry[];
  let problems: Problem[];
  if ('file' in body) {
    const read = await respondentListFromFile(
      Buffer.from(body.file.base64, 'base64'),
      body.file.name,
      sc.survey,
    );
    entries = read.entries;
    problems = read.problems;
  } else {
    entries = body.respondents.map((r) => ({ ...r, category: r.category.toLowerCase() }));
    problems = checkRespondentList(sc.survey, entries);
  }
  if (hasErrors(problems)) throw invalidList(problems);
  const stored = await deps.survey.replaceRespondents(sc.cycle.cycleId, kode, entries, by);
  if (!stored)
    throw conflict(
      'INVITATIONS_ISSUED',
      'Undangan sudah diterbitkan: daftar tidak dapat diganti. Admin dapat menambah atau menghapus responden dengan alasan.',
      'Invitations were already issued: the list cannot be replaced. An admin can add or remove respondents with a reason.',
    );
  return stored;
}

/** Codes for everyone listed without one; each code is shown once, here, and stored only hashed. */
export async function issueInvitations(
  deps: SurveyDeps,
  sc: SurveyCycle,
  kode: string,
  formBase: string,
): Promise<{ issued: IssuedInvitation[]; validUntil: string }> {
  const state = windowState(sc.cycle.calendar, deps.now());
  if (state === 'closed' || state === 'grace')
    throw conflict(
      'SURVEY_WINDOW_CLOSED',
      'Masa survei sudah berakhir; undangan tidak dapat diterbitkan lagi.',
      'The survey window has closed; invitations can no longer be issued.',
    );
  const respondents = await deps.survey.listRespondents(sc.cycle.cycleId, kode);
  const problems = quotaProblems(sc.survey, respondents);
  if (hasErrors(problems)) throw invalidList(problems);
  const validUntil = effectiveDeadline(sc.cycle.calendar);
  const issued: IssuedInvitation[] = [];
  for (const r of respondents) {
    if (r.invited || r.removed) continue;
    const code = codeFromBytes(deps.randomBytes(10));
    const recorded = await deps.survey.recordInvitation(codeHash(code), {
      cycleId: sc.cycle.cycleId,
      kode,
      category: r.category,
      respondentId: r.respondentId,
      validUntil,
    });
    if (!recorded) continue;
    issued.push({
      name: r.name,
      position: r.position,
      category: r.category,
      ...(r.contact ? { contact: r.contact } : {}),
      code: formatCode(code),
      link: invitationLink(formBase, code),
    });
  }
  return { issued, validUntil };
}

/**
 * An admin removes a respondent (with the reason): their unused code is revoked before and again
 * after the removal is recorded, so a code issued in between cannot survive it. The form then refuses
 * the code exactly as an unknown one. False when the respondent was already removed.
 */
export async function removeRespondent(
  deps: SurveyDeps,
  sc: SurveyCycle,
  kode: string,
  respondentId: string,
  by: string,
  reason: string,
): Promise<boolean> {
  const cycleId = sc.cycle.cycleId;
  await deps.survey.revokeInvitation(cycleId, kode, respondentId);
  const removed = await deps.survey.removeRespondent(cycleId, kode, respondentId, by, reason);
  await deps.survey.revokeInvitation(cycleId, kode, respondentId);
  return removed;
}

export async function regionRates(deps: SurveyDeps, sc: SurveyCycle, kode: string) {
  const invitations = await deps.survey.invitationStates(sc.cycle.cycleId, kode);
  return { cycleId: sc.cycle.cycleId, kode, ...responseRates(sc.survey, invitations) };
}

export async function provinceRates(deps: SurveyDeps, sc: SurveyCycle, province: string) {
  const invitations = await deps.survey.invitationStates(sc.cycle.cycleId, province);
  const regions = [...new Set(invitations.map((i) => i.kode))].sort();
  return {
    cycleId: sc.cycle.cycleId,
    kode: province,
    ...responseRates(sc.survey, invitations),
    regions: regions.map((kode) => ({
      kode,
      nama: findRegion(kode)?.nama ?? kode,
      ...responseRates(
        sc.survey,
        invitations.filter((i) => i.kode === kode),
      ),
    })),
  };
}

export async function regionScores(deps: SurveyDeps, sc: SurveyCycle, kode: string) {
  const answers = await deps.survey.listAnswers(sc.cycle.cycleId, kode);
  return {
    cycleId: sc.cycle.cycleId,
    kode,
    source: 'channel' as const,
    ...surveyScores(sc.methodology, kode, answers),
  };
}

// --- the public form ---------------------------------------------------------------------------

/** Refusals take at least this long, whatever the reason, so timing tells nothing about a code. */
export const REFUSAL_FLOOR_MS = 250;
export const CODE_LIMIT = { limit: 10, windowSeconds: 60 };
/** The default per-client limit: strict, one person answering from one phone never reaches it. */
export const CLIENT_LIMIT = { limit: 60, windowSeconds: 60 };

/**
 * SURVEY_CLIENT_LIMIT_PER_MINUTE as a whole number from 1 to MAX_CLIENT_LIMIT, or the default.
 * A value that is not one fails loudly at the first request rather than silently unthrottling.
 */
export function clientLimitFromEnv(raw: string | undefined): number {
  if (raw === undefined || raw === '') return CLIENT_LIMIT.limit;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CLIENT_LIMIT)
    throw new Error(
      `SURVEY_CLIENT_LIMIT_PER_MINUTE="${raw}" is not a whole number from 1 to ${MAX_CLIENT_LIMIT}`,
    );
  return n;
}

export const codeRefused = () =>
  new DomainError(
    'not-found',
    'CODE_NOT_VALID',
    'Kode ini tidak dapat dipakai: kode tidak dikenal, sudah dipakai, atau masa survei sudah berakhir. Periksa kembali kode pada undangan Anda; setiap kode hanya dapat dipakai sekali.',
    'This code cannot be used: it is unknown, already used, or the survey has closed. Check the code on your invitation; each code can be used only once.',
  );

export const tokenRefused = () =>
  new DomainError(
    'forbidden',
    'TOKEN_NOT_ALLOWED',
    'Formulir survei hanya untuk responden dan tidak menerima token akun. Buka tautan undangan tanpa masuk akun.',
    'The survey form is for respondents and accepts no account token. Open the invitation link without signing in.',
  );

export const throttled = () =>
  new DomainError(
    'rate-limited',
    'TOO_MANY_REQUESTS',
    'Terlalu banyak permintaan. Tunggu satu menit lalu coba lagi.',
    'Too many requests. Wait a minute and try again.',
  );

const hashed = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

export interface OpenCode {
  hash: string;
  sc: SurveyCycle;
  kode: string;
}

/**
 * A code that may answer now, or the one refusal. The same work happens for every code: hash, one
 * invitation read, one cycle read and one settings read (an unknown code reads a cycle that does not
 * exist), the two rate counters, then a floor on the time taken, so "unknown", "used", "revoked" and
 * "expired" cannot be told apart. The per-client limit is the code's cycle setting when there is
 * one, else the deployment's: an unknown code always meets the strict default.
 */
export async function openCode(deps: SurveyDeps, typed: string, client: string): Promise<OpenCode> {
  const started = Date.now();
  const hash = codeHash(typed);
  const invitation = await deps.survey.getInvitation(hash);
  const cycleId = invitation?.cycleId ?? 'none';
  const cycle = await deps.cycles.get(cycleId);
  const settings = await deps.survey.getSettings(cycleId);
  const clientLimit = cycle
    ? (settings.clientLimitPerMinute ?? deps.clientLimitPerMinute)
    : deps.clientLimitPerMinute;
  const allowed =
    (await deps.survey.hit({
      scope: 'client',
      key: hashed(client),
      limit: clientLimit,
      windowSeconds: CLIENT_LIMIT.windowSeconds,
    })) && (await deps.survey.hit({ scope: 'code', key: hash.slice(0, 32), ...CODE_LIMIT }));
  if (!allowed) throw throttled();
  const methodology = cycle ? deps.methodologyOf(cycle.methodology.id) : undefined;
  const open = cycle ? windowState(cycle.calendar, deps.now()) === 'open' : false;
  if (!invitation || invitation.used || invitation.revoked || !cycle || !open || !methodology?.survey) {
    await floor(started);
    throw codeRefused();
  }
  return { hash, kode: invitation.kode, sc: { cycle, methodology, survey: methodology.survey } };
}

export async function floor(started: number): Promise<void> {
  const left = REFUSAL_FLOOR_MS - (Date.now() - started);
  if (left > 0) await new Promise((r) => setTimeout(r, left));
}

export function formView(open: OpenCode): {
  region: { kode: string; nama: string };
  cycle: { cycleId: string; name: string };
  closesAt: string;
  closesAtWib: string;
  form: SurveyForm;
} {
  const { sc } = open;
  const sections = sc.methodology.indicators
    .filter((i) => i.rule.type === 'survey')
    .map((i) => ({ code: i.code, name: i.name, items: i.rule.type === 'survey' ? i.rule.items : [] }));
  const deadline = effectiveDeadline(sc.cycle.calendar);
  return {
    region: { kode: open.kode, nama: findRegion(open.kode)?.nama ?? open.kode },
    cycle: { cycleId: sc.cycle.cycleId, name: sc.cycle.name },
    closesAt: deadline,
    closesAtWib: formatWib(deadline),
    form: surveyForm(sc.survey, sections),
  };
}

/** Validates the answers against the methodology, then uses the code and stores them together. */
export async function submitAnswers(
  deps: SurveyDeps,
  open: OpenCode,
  body: unknown,
  started: number,
): Promise<void> {
  const parsed = answerBodySchema(open.sc.survey).safeParse(body);
  if (!parsed.success) {
    const { min, max } = open.sc.survey.scale;
    const problems = parsed.error.issues.map((issue) => {
      const item = String(issue.path[1] ?? issue.path[0] ?? 'answers');
      return {
        code: 'SURVEY_ANSWER_INVALID',
        severity: 'error' as const,
        location: { path: issue.path.join('.') },
        message_id: `jawaban butir ${item} harus bilangan bulat ${min} sampai ${max}.`,
        message_en: `the answer to item ${item} must be a whole number from ${min} to ${max}.`,
      };
    });
    throw badRequest(
      'SURVEY_ANSWERS_INVALID',
      'Jawaban belum lengkap atau di luar skala; jawab setiap butir.',
      'Answers are incomplete or outside the scale; answer every item.',
      problems,
    );
  }
  const stored = await deps.survey.answer(open.hash, open.sc.cycle.cycleId, open.kode, parsed.data.answers);
  if (!stored) {
    await floor(started);
    throw codeRefused();
  }
}
