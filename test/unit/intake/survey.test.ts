import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildSurveyTemplate, type IntakeOptions, intakeFile } from '#intake/index';
import { openWorkbook, saveWorkbook } from '../../fixtures/intake/fill';
import { miniIid, miniIkkd, REGION } from '../../fixtures/intake/methodologies';

const HEADER = 'responden;peran;Q1;Q2;Q3\n';
const GOOD = `${HEADER}R-1;asn;5;4;3\nR-2;dprd;4;4;4\nR-3;masyarakat;3;;2\n`;
const utf8 = (text: string) => new TextEncoder().encode(text);

const survey = (
  bytes: Uint8Array,
  fileName = 'responden.csv',
  options: IntakeOptions = {},
  methodology = miniIkkd,
) =>
  intakeFile({ bytes, fileName, methodology, region: '18.01', options: { content: 'survey', ...options } });
const problemsOf = async (text: string, options?: IntakeOptions) =>
  (await survey(utf8(text), 'responden.csv', options)).problems.map((p) => [
    p.code,
    p.severity,
    p.location.row,
    p.location.column,
  ]);

describe('survey respondents (IKKD)', () => {
  it('reads a CSV into survey.respondents, empty answers as null', async () => {
    const result = await survey(utf8(GOOD));
    expect(result.problems).toEqual([]);
    expect(result.submission?.survey?.respondents).toEqual([
      { id: 'R-1', role: 'asn', answers: { Q1: 5, Q2: 4, Q3: 3 } },
      { id: 'R-2', role: 'dprd', answers: { Q1: 4, Q2: 4, Q3: 4 } },
      { id: 'R-3', role: 'masyarakat', answers: { Q1: 3, Q2: null, Q3: 2 } },
    ]);
    expect(result.submission).toMatchObject({
      methodology: 'mini-ikkd',
      region: '18.01',
      period: 2024,
      indicators: {},
    });
  });

  it('answers must be whole numbers inside the scale', async () => {
    expect(await problemsOf(`${GOOD}R-4;asn;6;0;3,5\nR-5;asn;lima;1;1\n`)).toEqual([
      ['SURVEY_ANSWER_OUT_OF_RANGE', 'error', 5, 'C'],
      ['SURVEY_ANSWER_OUT_OF_RANGE', 'error', 5, 'D'],
      ['SURVEY_ANSWER_OUT_OF_RANGE', 'error', 5, 'E'],
      ['NUMBER_INVALID', 'error', 6, 'C'],
    ]);
  });

  it('duplicate respondents, roles, empty rows of answers, missing ids', async () => {
    expect(
      await problemsOf(`${GOOD}r-1;asn;1;1;1\nR-6;camat;2;2;2\nR-7;;2;2;2\nR-8;asn;;;\n;asn;1;1;1\n`),
    ).toEqual([
      ['DUPLICATE_RESPONDENT', 'error', 5, 'A'],
      ['SURVEY_ROLE_INVALID', 'error', 6, 'B'],
      ['SURVEY_ROLE_INVALID', 'error', 7, 'B'],
      ['SURVEY_RESPONDENT_EMPTY', 'warning', 8, undefined],
      ['RESPONDENT_ID_MISSING', 'error', 9, 'A'],
    ]);
  });

  it('too few respondents: a warning by default, an error when configured', async () => {
    const few = `${HEADER}R-1;asn;5;4;3\nR-2;asn;;;\n`;
    expect(await problemsOf(few)).toEqual([
      ['SURVEY_TOO_FEW', 'warning', undefined, undefined],
      ['SURVEY_RESPONDENT_EMPTY', 'warning', 3, undefined],
    ]);
    const strict = await survey(utf8(few), 'responden.csv', { surveyBelowMinimum: 'error' });
    expect(strict.problems[0]).toMatchObject({ code: 'SURVEY_TOO_FEW', severity: 'error' });
    expect(strict.submission).toBeUndefined();
  });

  it('missing item columns and unknown columns', async () => {
    expect(await problemsOf('id;role;Q1;Q2;Q9\nR-1;asn;1;1;1\n')).toEqual([
      ['MISSING_COLUMN', 'error', 1, undefined],
      ['UNKNOWN_COLUMN', 'warning', 1, 'E'],
    ]);
    expect(await problemsOf('nama;Q1\nBudi;3\n')).toEqual([
      ['MISSING_COLUMN', 'error', undefined, undefined],
    ]);
  });

  it('reads the generated survey template back', async () => {
    const wb = await openWorkbook(await buildSurveyTemplate(miniIkkd, REGION));
    const ws = wb.getWorksheet('Responden');
    if (!ws) throw new Error('no sheet');
    ws.addRow(['R-1', 'asn', 5, 5, 5]);
    ws.addRow(['R-2', 'dprd', 1, '2', null]);
    ws.addRow([3, 'masyarakat', 3, 3, 3]);
    const result = await survey(await saveWorkbook(wb), 'responden.xlsx');
    expect(result.problems).toEqual([]);
    expect(result.submission?.methodologyHash).toBe(miniIkkd.hash);
    expect(result.submission?.survey?.respondents.map((r) => [r.id, r.answers.Q2, r.answers.Q3])).toEqual([
      ['R-1', 5, 5],
      ['R-2', 2, null],
      ['3', 3, 3],
    ]);
  });

  it('accepts a hand-made respondents workbook without template metadata', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Data');
    ws.addRow(['ID', 'Role', 'Q1', 'Q2', 'Q3']);
    for (const id of ['a', 'b', 'c']) ws.addRow([id, 'asn', 4, 4, 4]);
    const result = await survey(await saveWorkbook(wb), 'responden.xlsx');
    expect(result.problems).toEqual([]);
    expect(result.submission?.survey?.respondents).toHaveLength(3);
  });

  it('accepts canonical JSON respondents', async () => {
    const respondents = [
      { id: 'a', role: 'asn', answers: { Q1: 1, Q2: 2, Q3: 3 } },
      { id: 'b', role: 'asn', answers: { Q1: 1, Q2: 2, Q3: 9 } },
      { id: 'c', role: 'asn', answers: { Q1: 1, Q2: null, Q3: 3 } },
    ];
    const result = await survey(utf8(JSON.stringify({ respondents })), 'r.json');
    expect(result.problems.map((p) => [p.code, p.location.path])).toEqual([
      ['SURVEY_ANSWER_OUT_OF_RANGE', 'survey.respondents[1].answers.Q3'],
    ]);
  });

  it('a methodology without a survey refuses respondents', async () => {
    const result = await survey(utf8(GOOD), 'responden.csv', {}, miniIid);
    expect(result.problems.map((p) => p.code)).toEqual(['SURVEY_NOT_EXPECTED']);
  });
});
