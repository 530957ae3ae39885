import { httpApi, route } from '#http/api';
import { assertCanActForRegion, assertCanSeeRegion, assertRole } from '#http/auth';
import { conflict, notFound } from '#http/errors';
import {
  addRespondentBody,
  cycleParams,
  invitationsQuery,
  provinceParams,
  regionParams,
  removeRespondentBody,
  respondentListBody,
  respondentParams,
  surveySettingsBody,
} from './lib/survey/contract';
import { invitationSlipsPdf, invitationsCsv } from './lib/survey/exports';
import { formBase, surveyDeps } from './lib/survey/runtime';
import * as survey from './lib/survey/service';

/**
 * API: the IKKD survey channel for accounts (issue 14). Respondent lists and invitations for the
 * region's operator (own region) and admins; rates and aggregate scores for the region, its province
 * and the ministry. No route returns an answer.
 */
export const handler = httpApi({
  'GET /cycles/{cycleId}/regions/{kode}/survey': route({
    params: regionParams,
    run: async ({ params, caller }) => {
      assertCanSeeRegion(caller, params.kode);
      survey.assertRegion(params.kode);
      const sc = await survey.surveyCycle(surveyDeps(), params.cycleId);
      return { body: await survey.listView(surveyDeps(), sc, params.kode) };
    },
  }),
  'PUT /cycles/{cycleId}/regions/{kode}/survey/respondents': route({
    params: regionParams,
    body: respondentListBody,
    run: async ({ params, body, caller }) => {
      assertCanActForRegion(caller, params.kode);
      survey.assertRegion(params.kode);
      const sc = await survey.surveyCycle(surveyDeps(), params.cycleId);
      await survey.replaceList(surveyDeps(), sc, params.kode, body, caller.subject);
      return { body: await survey.listView(surveyDeps(), sc, params.kode) };
    },
  }),
  'POST /cycles/{cycleId}/regions/{kode}/survey/respondents': route({
    params: regionParams,
    body: addRespondentBody,
    run: async ({ params, body, caller }) => {
      assertRole(caller, 'admin');
      survey.assertRegion(params.kode);
      const sc = await survey.surveyCycle(surveyDeps(), params.cycleId);
      const respondent = await surveyDeps().survey.addRespondent(
        params.cycleId,
        params.kode,
        { ...body.respondent, category: body.respondent.category.toLowerCase() },
        caller.subject,
        body.reason,
      );
      return {
        status: 201,
        body: { respondent, list: await survey.listView(surveyDeps(), sc, params.kode) },
      };
    },
  }),
  'POST /cycles/{cycleId}/regions/{kode}/survey/respondents/{respondentId}/removal': route({
    params: respondentParams,
    body: removeRespondentBody,
    run: async ({ params, body, caller }) => {
      assertRole(caller, 'admin');
      survey.assertRegion(params.kode);
      const sc = await survey.surveyCycle(surveyDeps(), params.cycleId);
      const list = await surveyDeps().survey.listRespondents(params.cycleId, params.kode);
      const found = list.find((r) => r.respondentId === params.respondentId);
      if (!found) throw notFound(`Responden ${params.respondentId}`, `Respondent ${params.respondentId}`);
      const removed = await survey.removeRespondent(
        surveyDeps(),
        sc,
        params.kode,
        params.respondentId,
        caller.subject,
        body.reason,
      );
      if (!removed)
        throw conflict(
          'ALREADY_REMOVED',
          'Responden ini sudah dihapus.',
          'This respondent was already removed.',
        );
      return { body: await survey.listView(surveyDeps(), sc, params.kode) };
    },
  }),
  'PUT /cycles/{cycleId}/survey/settings': route({
    params: cycleParams,
    body: surveySettingsBody,
    run: async ({ params, body, caller }) => {
      assertRole(caller, 'admin');
      await survey.surveyCycle(surveyDeps(), params.cycleId);
      const { reason, ...settings } = body;
      await surveyDeps().survey.putSettings(params.cycleId, settings, caller.subject, reason);
      return {
        body: { cycleId: params.cycleId, ...(await surveyDeps().survey.getSettings(params.cycleId)) },
      };
    },
  }),
  'POST /cycles/{cycleId}/regions/{kode}/survey/invitations': route({
    params: regionParams,
    query: invitationsQuery,
    run: async ({ params, query, caller, event }) => {
      assertCanActForRegion(caller, params.kode);
      survey.assertRegion(params.kode);
      const sc = await survey.surveyCycle(surveyDeps(), params.cycleId);
      const { issued, validUntil } = await survey.issueInvitations(
        surveyDeps(),
        sc,
        params.kode,
        formBase(event),
      );
      const stem = `undangan-survei-${params.cycleId}-${params.kode}`;
      if (query.format === 'csv')
        return {
          status: 201,
          raw: {
            body: invitationsCsv(issued),
            contentType: 'text/csv; charset=utf-8',
            fileName: `${stem}.csv`,
          },
        };
      if (query.format === 'pdf') {
        const pdf = await invitationSlipsPdf(issued, {
          region: `${params.kode}`,
          cycle: sc.cycle.name,
          closesAt: validUntil,
        });
        return {
          status: 201,
          raw: { body: Buffer.from(pdf), contentType: 'application/pdf', fileName: `${stem}.pdf` },
        };
      }
      return {
        status: 201,
        body: { cycleId: params.cycleId, kode: params.kode, validUntil, invitations: issued },
      };
    },
  }),
  'GET /cycles/{cycleId}/regions/{kode}/survey/rates': route({
    params: regionParams,
    run: async ({ params, caller }) => {
      assertCanSeeRegion(caller, params.kode);
      survey.assertRegion(params.kode);
      const sc = await survey.surveyCycle(surveyDeps(), params.cycleId);
      return { body: await survey.regionRates(surveyDeps(), sc, params.kode) };
    },
  }),
  'GET /cycles/{cycleId}/provinces/{kode}/survey/rates': route({
    params: provinceParams,
    run: async ({ params, caller }) => {
      assertCanSeeRegion(caller, params.kode);
      survey.assertRegion(params.kode);
      const sc = await survey.surveyCycle(surveyDeps(), params.cycleId);
      return { body: await survey.provinceRates(surveyDeps(), sc, params.kode) };
    },
  }),
  'GET /cycles/{cycleId}/regions/{kode}/survey/scores': route({
    params: regionParams,
    run: async ({ params, caller }) => {
      assertCanSeeRegion(caller, params.kode);
      survey.assertRegion(params.kode);
      const sc = await survey.surveyCycle(surveyDeps(), params.cycleId);
      return { body: await survey.regionScores(surveyDeps(), sc, params.kode) };
    },
  }),
});
