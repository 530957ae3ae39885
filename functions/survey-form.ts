import { httpApi, route } from '#http/api';
import { badRequest } from '#http/errors';
import { codeParams } from './lib/survey/contract';
import { surveyDeps } from './lib/survey/runtime';
import * as survey from './lib/survey/service';

/**
 * API: the public survey form (issue 14). No account: the one-time code is the key. A request with
 * an Authorization header is refused, so a region's operator cannot answer for its respondents.
 * Used, expired and unknown codes share one refusal after the same work (service.openCode).
 */
export const handler = httpApi({
  'GET /survey/forms/{code}': route({
    params: codeParams,
    public: true,
    run: async ({ params, event }) => {
      if (event.headers?.authorization) throw survey.tokenRefused();
      const open = await survey.openCode(surveyDeps(), params.code, event.requestContext.http.sourceIp);
      return { body: survey.formView(open), headers: { 'cache-control': 'no-store' } };
    },
  }),
  'POST /survey/forms/{code}/answers': route({
    params: codeParams,
    public: true,
    run: async ({ params, event }) => {
      if (event.headers?.authorization) throw survey.tokenRefused();
      const started = Date.now();
      const body = jsonOf(event.body, event.isBase64Encoded);
      const open = await survey.openCode(surveyDeps(), params.code, event.requestContext.http.sourceIp);
      await survey.submitAnswers(surveyDeps(), open, body, started);
      return {
        status: 201,
        headers: { 'cache-control': 'no-store' },
        body: {
          received: true,
          message_id: 'Terima kasih. Jawaban Anda sudah diterima dan disimpan tanpa nama Anda.',
          message_en: 'Thank you. Your answers were received and stored without your name.',
        },
      };
    },
  }),
});

function jsonOf(raw: string | undefined, base64: boolean | undefined): unknown {
  if (!raw) return {};
  try {
    return JSON.parse(base64 ? Buffer.from(raw, 'base64').toString('utf8') : raw);
  } catch {
    throw badRequest(
      'BODY_NOT_JSON',
      'Isi permintaan bukan JSON yang sah.',
      'The request body is not valid JSON.',
    );
  }
}
