/**
 * The survey channel's HTTP contract (issue 14): request schemas the handlers validate with and the
 * OpenAPI operations (merged into GET /openapi.json by api-cycles).
 */
import * as z from 'zod';
import { respondentEntrySchema } from '#domain/survey/respondents';
import type { ApiOperation } from '#http/openapi';
import { provinceParams, regionParams } from '../submissions/api-contract';

export { provinceParams, regionParams };
export const cycleParams = regionParams.pick({ cycleId: true });
export const respondentParams = regionParams.extend({
  respondentId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
});
export const codeParams = z.object({ code: z.string().min(1).max(64) });
const reason = z.string().trim().min(5).max(500);

/** Either the list as JSON, or the filled-in template (XLSX or CSV) as base64. */
export const respondentListBody = z.union([
  z.object({ respondents: z.array(respondentEntrySchema).max(2000) }).strict(),
  z
    .object({
      file: z
        .object({
          name: z.string().trim().min(1).max(255),
          base64: z.string().min(1).max(7_000_000),
        })
        .strict(),
    })
    .strict(),
]);
export const addRespondentBody = z.object({ respondent: respondentEntrySchema, reason }).strict();
export const removeRespondentBody = z.object({ reason }).strict();
/** The highest per-client limit a deployment or cycle may set (a whole office behind one address). */
export const MAX_CLIENT_LIMIT = 100_000;

/** The cycle's form settings: the per-client limit for its codes (e.g. a region answering from one office network). */
export const surveySettingsBody = z
  .object({ clientLimitPerMinute: z.number().int().min(1).max(MAX_CLIENT_LIMIT), reason })
  .strict();
export const invitationsQuery = z.object({ format: z.enum(['json', 'csv', 'pdf']).default('json') });

const AUTH = { 401: 'Missing or invalid token.', 403: 'The role may not do this.' };
const REGION_ERRORS = { ...AUTH, 404: 'Unknown cycle or region, or a cycle without a survey.' };
const tags = ['survey'];

export const SURVEY_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/cycles/{cycleId}/regions/{kode}/survey',
    operationId: 'getSurveyList',
    tags,
    summary: 'Daftar responden / the respondent list and its quotas',
    description:
      "The region's respondent list (name, position, category, contact; removed ones with the admin's reason), listed per quota category, and every quota problem. Never any answer. The region's operator or a ministry role.",
    params: regionParams,
    errors: REGION_ERRORS,
  },
  {
    method: 'put',
    path: '/cycles/{cycleId}/regions/{kode}/survey/respondents',
    operationId: 'putSurveyRespondents',
    tags,
    summary: 'Isi daftar responden / enter the respondent list',
    description:
      "Replaces the list before any invitation: JSON entries, or the filled-in template (XLSX/CSV, base64). Checked against the methodology's quotas; with any error nothing is stored (400 with every problem, bilingual, by row). The region's operator or an admin.",
    params: regionParams,
    body: respondentListBody,
    errors: {
      ...REGION_ERRORS,
      400: 'The list breaks the quotas or the template: "problems" names each row to fix.',
      409: 'Invitations were already issued: only an admin adds or removes respondents now.',
    },
  },
  {
    method: 'post',
    path: '/cycles/{cycleId}/regions/{kode}/survey/respondents',
    operationId: 'addSurveyRespondent',
    tags,
    summary: 'Tambah responden (admin) / an admin adds a respondent',
    description: 'Adds one respondent with the reason, recorded with the admin. Admin only.',
    params: regionParams,
    body: addRespondentBody,
    status: 201,
    errors: { ...REGION_ERRORS, 400: 'Invalid respondent or missing reason.' },
  },
  {
    method: 'post',
    path: '/cycles/{cycleId}/regions/{kode}/survey/respondents/{respondentId}/removal',
    operationId: 'removeSurveyRespondent',
    tags,
    summary: 'Hapus responden (admin) / an admin removes a respondent',
    description:
      'Marks the respondent removed with the reason (kept for the record) and revokes their unused code: the form then refuses it exactly as an unknown code (same 404, same timing), and it no longer counts in the response rates. An answer already given stays (it cannot be found). Admin only.',
    params: respondentParams,
    body: removeRespondentBody,
    errors: { ...REGION_ERRORS, 400: 'Missing reason.', 409: 'Already removed.' },
  },
  {
    method: 'put',
    path: '/cycles/{cycleId}/survey/settings',
    operationId: 'putSurveySettings',
    tags,
    summary: 'Pengaturan formulir survei (admin) / the survey form settings of a cycle',
    description:
      "The per-client request limit per minute on the public form routes for this cycle's codes (default: the deployment's SURVEY_CLIENT_LIMIT_PER_MINUTE, 60), with the reason; e.g. raised when many respondents answer from one office network. Unknown codes always meet the deployment's limit. Admin only.",
    params: cycleParams,
    body: surveySettingsBody,
    errors: {
      ...AUTH,
      400: 'Limit outside 1–100000 or missing reason.',
      404: 'Unknown cycle, or a cycle without a survey.',
    },
  },
  {
    method: 'post',
    path: '/cycles/{cycleId}/regions/{kode}/survey/invitations',
    operationId: 'issueSurveyInvitations',
    tags,
    summary: 'Terbitkan undangan / issue one-time codes',
    description:
      "Issues a one-time code (80 random bits, shown grouped, plus a link) to every listed respondent without one, valid until the submission window closes. Codes are returned ONCE, in the chosen format (JSON, CSV for mail merge, PDF sheet of slips); only their SHA-256 is stored. Refused while the list breaks its quotas. The region's operator or an admin.",
    params: regionParams,
    query: invitationsQuery,
    status: 201,
    alternatives: {
      'text/csv': 'Mail-merge CSV: nama;jabatan;kategori;kontak;kode;tautan.',
      'application/pdf': 'A4 sheet of invitation slips with QR codes.',
    },
    errors: {
      ...REGION_ERRORS,
      400: 'The list breaks its quotas: "problems" says what to add.',
      409: 'The submission window is closed.',
    },
  },
  {
    method: 'get',
    path: '/cycles/{cycleId}/regions/{kode}/survey/rates',
    operationId: 'getSurveyRates',
    tags,
    summary: 'Tingkat respons / response rates per category',
    description:
      "Invited and answered per category, from the invitations only (answers carry no category). Never an individual answer. The region's operator or a ministry role.",
    params: regionParams,
    errors: REGION_ERRORS,
  },
  {
    method: 'get',
    path: '/cycles/{cycleId}/provinces/{kode}/survey/rates',
    operationId: 'getProvinceSurveyRates',
    tags,
    summary: 'Tingkat respons provinsi / response rates of a province’s regions',
    description:
      "Response rates per region of the province and per category. The province's operator or a ministry role.",
    params: provinceParams,
    errors: REGION_ERRORS,
  },
  {
    method: 'get',
    path: '/cycles/{cycleId}/regions/{kode}/survey/scores',
    operationId: 'getSurveyScores',
    tags,
    summary: 'Skor survei agregat / aggregate survey scores',
    description:
      "The survey dimensions computed from the channel's answers by the scoring engine, shown only once every dimension has the methodology's minimum of valid respondents (null before). The region's operator or a ministry role.",
    params: regionParams,
    errors: REGION_ERRORS,
  },
  {
    method: 'get',
    path: '/survey/forms/{code}',
    operationId: 'getSurveyForm',
    tags,
    summary: 'Formulir survei / the survey form for a code (public)',
    description:
      'The survey items and scale for a one-time code. No account: the code is the key; a request carrying an Authorization header is refused (a region may not answer for its respondents). A used, revoked (respondent removed), expired or unknown code gets the same 404 after the same work. Rate-limited per code (10/min) and per client (60/min by default; a deployment or cycle setting may raise it).',
    params: codeParams,
    public: true,
    errors: {
      403: 'A token was sent: the form is for respondents, not accounts.',
      404: 'The code is unknown, already used or expired (one answer for all three).',
      429: 'Too many requests for this code or from this client; wait a minute.',
    },
  },
  {
    method: 'post',
    path: '/survey/forms/{code}/answers',
    operationId: 'answerSurvey',
    tags,
    summary: 'Kirim jawaban / send the answers (public)',
    description:
      'Stores the answers once per code: the invitation is marked used and the answer stored in one transaction, the answer with no link to the code, the person, the category or the time. Same refusals as the form.',
    params: codeParams,
    public: true,
    status: 201,
    errors: {
      400: 'An item is missing or outside the scale: "problems" names it.',
      403: 'A token was sent: the form is for respondents, not accounts.',
      404: 'The code is unknown, already used or expired (one answer for all three).',
      429: 'Too many requests for this code or from this client; wait a minute.',
    },
  },
];
