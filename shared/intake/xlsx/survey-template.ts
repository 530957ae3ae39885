import ExcelJS from 'exceljs';
import type { LoadedMethodology } from '#domain/methodology/load';
import { FIRST_DATA_ROW, KEY_ROW, LABEL_ROW, SHEET, SURVEY_KEY } from '../layout';
import { columnLetter } from '../table';
import { surveyInstructions, type TemplateRegion } from './instructions';
import {
  clip,
  INPUT_FILL,
  listFormula,
  protect,
  styleKeyRow,
  styleLabelRow,
  TEXT_FORMAT,
  UNLOCKED,
  validateRange,
} from './style';
import { addInstructions, addMetaSheet, type TemplateOptions } from './template';

/** Rows prepared with validation; respondents beyond them still parse, just without dropdowns. */
const PREPARED_ROWS = 1000;

/**
 * The respondents workbook of a methodology with a survey (IKKD): one row per respondent, a role
 * column and one whole-number column per survey item, uploaded separately from the data template.
 */
export async function buildSurveyTemplate(
  methodology: LoadedMethodology,
  region: TemplateRegion,
  options: TemplateOptions = {},
): Promise<Buffer> {
  const survey = methodology.survey;
  if (!survey) throw new Error(`methodology ${methodology.id} has no survey`);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Indeks';
  addInstructions(wb, SHEET.instructions, surveyInstructions(methodology, region));
  const ws = wb.addWorksheet(SHEET.respondents, { views: [{ state: 'frozen', xSplit: 1, ySplit: KEY_ROW }] });
  const lastRow = FIRST_DATA_ROW + PREPARED_ROWS - 1;
  const columns = [
    { key: SURVEY_KEY.respondent, label: 'ID responden *', width: 16 },
    { key: SURVEY_KEY.role, label: survey.roles?.length ? 'Peran *' : 'Peran', width: 16 },
    ...survey.items.map((item) => ({
      key: item.code,
      label: `${item.code} ${clip(item.text.id, 80)}`,
      width: 14,
    })),
  ];
  columns.forEach((c, i) => {
    const column = ws.getColumn(i + 1);
    column.width = c.width;
    column.protection = UNLOCKED;
    column.fill = INPUT_FILL;
    if (i < 2) column.numFmt = TEXT_FORMAT;
    ws.getCell(LABEL_ROW, i + 1).value = c.label;
    ws.getCell(KEY_ROW, i + 1).value = c.key;
    const letter = columnLetter(i);
    const range = `${letter}${FIRST_DATA_ROW}:${letter}${lastRow}`;
    if (i === 1) {
      const list = listFormula(survey.roles ?? []);
      if (list)
        validateRange(ws, range, {
          type: 'list',
          allowBlank: true,
          formulae: [list],
          showErrorMessage: true,
        });
    } else if (i > 1)
      validateRange(ws, range, {
        type: 'whole',
        operator: 'between',
        allowBlank: true,
        formulae: [survey.scale.min, survey.scale.max],
        showErrorMessage: true,
        errorTitle: 'Di luar skala',
        error: `Tulis bilangan bulat ${survey.scale.min}–${survey.scale.max}, atau kosongkan.`,
      });
  });
  styleLabelRow(ws.getRow(LABEL_ROW));
  styleKeyRow(ws.getRow(KEY_ROW));
  addMetaSheet(wb, methodology, region, 'survei');
  for (const sheet of wb.worksheets) await protect(sheet, options.password);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
