import ExcelJS from 'exceljs';
import type { LoadedMethodology } from '#domain/methodology/load';
import type { GroupDefinition, Indicator } from '#domain/methodology/schema';
import {
  answerKey,
  evidenceKey,
  FIRST_DATA_ROW,
  groupSheetName,
  ITEM_KEY,
  KEY_ROW,
  LABEL_ROW,
  levelKey,
  META_KEY,
  PROFILE_KEY,
  REGION_KEY,
  SHEET,
  STATUS_CHOICES,
  TEMPLATE_FORMAT,
} from '../layout';
import { knownCodeValues, placeIndicators, profileFields } from '../placement';
import { columnLetter } from '../table';
import { dataInstructions, type TemplateRegion } from './instructions';
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

export type { TemplateRegion } from './instructions';

export interface TemplateOptions {
  /** Optional sheet-protection password; by default sheets are protected without one. */
  password?: string;
}

/**
 * The data-entry workbook for one region and one methodology: instructions, profile, region-level
 * indicators, one sheet per repeated group, and a hidden sheet naming the methodology version and
 * region so a parsed file can be matched to what it was made for.
 */
export async function buildTemplate(
  methodology: LoadedMethodology,
  region: TemplateRegion,
  options: TemplateOptions = {},
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Indeks';
  addInstructions(wb, SHEET.instructions, dataInstructions(methodology, region));
  if (profileFields(methodology).length > 0) addProfileSheet(wb, methodology);
  const placement = placeIndicators(methodology);
  if (placement.region.length > 0) addIndicatorSheet(wb, placement.region);
  for (const group of methodology.groups)
    addGroupSheet(wb, methodology, group, placement.groups.get(group.id) ?? []);
  addMetaSheet(wb, methodology, region, 'data');
  for (const ws of wb.worksheets) await protect(ws, options.password);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function addInstructions(wb: ExcelJS.Workbook, name: string, lines: readonly string[]): void {
  const ws = wb.addWorksheet(name);
  ws.getColumn(1).width = 120;
  lines.forEach((line, i) => {
    const cell = ws.getCell(i + 1, 1);
    cell.value = line;
    cell.alignment = { wrapText: true, vertical: 'top' };
    if (i === 0) cell.font = { bold: true, size: 14 };
  });
}

export function addMetaSheet(
  wb: ExcelJS.Workbook,
  m: LoadedMethodology,
  region: TemplateRegion,
  kind: 'data' | 'survei',
): void {
  const ws = wb.addWorksheet(SHEET.meta, { state: 'veryHidden' });
  const rows: [string, string][] = [
    [META_KEY.format, TEMPLATE_FORMAT],
    [META_KEY.kind, kind],
    [META_KEY.methodology, m.id],
    [META_KEY.hash, m.hash],
    [META_KEY.period, String(m.period)],
    [META_KEY.region, region.kode],
    [META_KEY.regionName, region.nama],
  ];
  rows.forEach(([key, value], i) => {
    ws.getCell(i + 1, 1).value = key;
    const cell = ws.getCell(i + 1, 2);
    cell.numFmt = TEXT_FORMAT;
    cell.value = value;
  });
}

/** Writes the label row and the hidden key row; returns nothing, columns are addressed by index. */
function headerRows(
  ws: ExcelJS.Worksheet,
  columns: readonly { key: string; label: string; width: number }[],
): void {
  columns.forEach((c, i) => {
    ws.getColumn(i + 1).width = c.width;
    ws.getCell(LABEL_ROW, i + 1).value = c.label;
    ws.getCell(KEY_ROW, i + 1).value = c.key;
  });
  styleLabelRow(ws.getRow(LABEL_ROW));
  styleKeyRow(ws.getRow(KEY_ROW));
}

function unlock(cell: ExcelJS.Cell, text = false): void {
  cell.protection = UNLOCKED;
  cell.fill = INPUT_FILL;
  if (text) cell.numFmt = TEXT_FORMAT;
}

function addProfileSheet(wb: ExcelJS.Workbook, m: LoadedMethodology): void {
  const ws = wb.addWorksheet(SHEET.profile, { views: [{ state: 'frozen', ySplit: KEY_ROW }] });
  headerRows(ws, [
    { key: PROFILE_KEY.field, label: 'Data profil', width: 22 },
    { key: PROFILE_KEY.hint, label: 'Keterangan', width: 70 },
    { key: PROFILE_KEY.choices, label: 'Pilihan', width: 40 },
    { key: PROFILE_KEY.value, label: 'Isian', width: 22 },
  ]);
  profileFields(m).forEach((field, i) => {
    const row = FIRST_DATA_ROW + i;
    ws.getCell(row, 1).value = field.key;
    ws.getCell(row, 2).value = field.hints.map((h) => h.id).join('; ');
    ws.getCell(row, 2).alignment = { wrapText: true, vertical: 'top' };
    ws.getCell(row, 3).value = field.closed
      ? field.values.join(', ')
      : `${field.values.join(', ')} (nilai lain: ${field.usedBy === 'eligibility' ? 'daerah tidak diperingkat' : 'tanpa klaster ini'})`;
    const input = ws.getCell(row, 4);
    unlock(input, true);
    const list = listFormula(field.values);
    // Closed lists (SAKIP grades) refuse other values; open ones only suggest the eligible values.
    if (list)
      input.dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [list],
        showErrorMessage: field.closed,
        errorTitle: 'Isian tidak dikenal',
        error: `Pilih salah satu: ${clip(field.values.join(', '), 200)}`,
      };
  });
}

const levelChoices = (indicator: Indicator): number[] =>
  indicator.rule.type === 'level' ? indicator.rule.levels.map((l) => l.level).sort((a, b) => a - b) : [];

/** What to type, in words: "Pilih level 1–3" or "Angka (%)". */
function inputKind(indicator: Indicator): string {
  const rule = indicator.rule;
  switch (rule.type) {
    case 'level': {
      const levels = levelChoices(indicator);
      return `Pilih level ${levels[0]}–${levels[levels.length - 1]}`;
    }
    case 'bands':
      return `Angka${rule.unit ? ` (${rule.unit})` : ''}; level dihitung otomatis`;
    case 'goalpost':
      return `Angka${rule.unit ? ` (${rule.unit})` : ''}; terburuk ${rule.worst}, terbaik ${rule.best}`;
    case 'min-max':
    case 'z-score':
      return `Angka${rule.unit ? ` (${rule.unit})` : ''}; dibandingkan antardaerah`;
    case 'survey':
      return 'Dari survei responden';
  }
}

const levelLabels = (indicator: Indicator): Map<number, string> => {
  const rule = indicator.rule;
  if (rule.type !== 'level' && rule.type !== 'bands') return new Map();
  return new Map(rule.levels.map((l) => [l.level, l.label.id]));
};

/** Input-message text (shown when the cell is selected): the level descriptions. */
const levelPrompt = (indicator: Indicator): string =>
  clip(
    [...levelLabels(indicator)]
      .sort(([a], [b]) => a - b)
      .map(([level, label]) => `${level}: ${label}`)
      .join('\n') || inputKind(indicator),
    255,
  );

function inputValidation(indicator: Indicator): ExcelJS.DataValidation {
  const choices = levelChoices(indicator);
  const prompt = {
    showInputMessage: true,
    promptTitle: clip(`Indikator ${indicator.code}`, 32),
    prompt: levelPrompt(indicator),
  };
  const list = listFormula(choices);
  if (indicator.rule.type === 'level' && list)
    return {
      type: 'list',
      allowBlank: true,
      formulae: [list],
      showErrorMessage: true,
      errorTitle: 'Level tidak sah',
      error: `Pilih level ${choices.join(', ')} dari daftar. / Pick level ${choices.join(', ')} from the list.`,
      ...prompt,
    };
  return {
    type: 'decimal',
    operator: 'between',
    allowBlank: true,
    formulae: [-1e12, 1e12],
    showErrorMessage: true,
    errorTitle: 'Bukan angka',
    error: 'Ketik angka saja, desimal dengan koma (mis. 5,23). / Type a number only.',
    ...prompt,
  };
}

const STATUS_VALIDATION: ExcelJS.DataValidation = {
  type: 'list',
  allowBlank: true,
  formulae: [`"${STATUS_CHOICES.join(',')}"`],
  showErrorMessage: true,
  errorTitle: 'Status tidak sah',
  error: `Pilih ${STATUS_CHOICES.join(' atau ')}, atau kosongkan.`,
};

function addIndicatorSheet(wb: ExcelJS.Workbook, indicators: readonly Indicator[]): void {
  const ws = wb.addWorksheet(SHEET.indicators, { views: [{ state: 'frozen', xSplit: 2, ySplit: KEY_ROW }] });
  const maxLevels = Math.max(0, ...indicators.map((i) => levelLabels(i).size));
  const levelNumbers = Array.from({ length: maxLevels }, (_, i) => i + 1);
  const columns = [
    { key: REGION_KEY.code, label: 'Kode', width: 8 },
    { key: REGION_KEY.name, label: 'Indikator', width: 45 },
    { key: REGION_KEY.mandatory, label: 'Wajib', width: 8 },
    { key: REGION_KEY.evidenceRequired, label: 'Bukti wajib', width: 9 },
    { key: REGION_KEY.kind, label: 'Jenis isian', width: 22 },
    ...levelNumbers.map((n) => ({ key: levelKey(n), label: `Level ${n}`, width: 30 })),
    { key: REGION_KEY.input, label: 'Isian', width: 12 },
    { key: REGION_KEY.evidence, label: 'Nama berkas bukti', width: 32 },
    { key: REGION_KEY.status, label: 'Status verifikasi', width: 14 },
  ];
  headerRows(ws, columns);
  const inputCol = columns.findIndex((c) => c.key === REGION_KEY.input) + 1;
  indicators.forEach((indicator, i) => {
    const row = ws.getRow(FIRST_DATA_ROW + i);
    const code = row.getCell(1);
    code.numFmt = TEXT_FORMAT;
    code.value = indicator.code;
    row.getCell(2).value = indicator.name.id;
    row.getCell(3).value = indicator.mandatory ? 'Ya' : 'Tidak';
    row.getCell(4).value = indicator.evidenceRequired ? 'Ya' : 'Tidak';
    row.getCell(5).value = inputKind(indicator);
    const labels = levelLabels(indicator);
    for (const n of levelNumbers) {
      const label = labels.get(n);
      if (label) row.getCell(5 + n).value = label;
    }
    row.alignment = { wrapText: true, vertical: 'top' };
    const input = row.getCell(inputCol);
    unlock(input);
    input.dataValidation = inputValidation(indicator);
    unlock(row.getCell(inputCol + 1), true);
    const status = row.getCell(inputCol + 2);
    unlock(status, true);
    status.dataValidation = STATUS_VALIDATION;
  });
}

function addGroupSheet(
  wb: ExcelJS.Workbook,
  m: LoadedMethodology,
  group: GroupDefinition,
  indicators: readonly Indicator[],
): void {
  const ws = wb.addWorksheet(groupSheetName(group), {
    views: [{ state: 'frozen', xSplit: 2, ySplit: KEY_ROW }],
  });
  const lastRow = FIRST_DATA_ROW + group.maxItems - 1;
  const columns: {
    key: string;
    label: string;
    width: number;
    text: boolean;
    validation?: ExcelJS.DataValidation;
    note?: string;
  }[] = [
    { key: ITEM_KEY.id, label: `ID ${group.itemLabel.id} *`, width: 14, text: true },
    { key: ITEM_KEY.name, label: `Nama ${group.itemLabel.id}`, width: 40, text: true },
    ...group.fields.map((field) => ({
      key: field.key,
      label: `${field.label.id}${field.required ? ' *' : ''}`,
      width: field.type === 'year' ? 10 : 22,
      text: field.type !== 'year',
      validation: fieldValidation(m, group, field),
    })),
    {
      key: ITEM_KEY.status,
      label: 'Status verifikasi',
      width: 14,
      text: true,
      validation: STATUS_VALIDATION,
    },
    ...indicators.flatMap((indicator) => [
      {
        key: answerKey(indicator.code),
        label: `${indicator.code}${indicator.mandatory ? ' *' : ''} ${clip(indicator.name.id, 60)}`,
        width: 14,
        text: false,
        validation: inputValidation(indicator),
        note: `${indicator.code} ${indicator.name.id}\n${inputKind(indicator)}\n${levelPrompt(indicator)}`,
      },
      {
        key: evidenceKey(indicator.code),
        label: `Bukti ${indicator.code}${indicator.evidenceRequired ? ' *' : ''}`,
        width: 24,
        text: true,
      },
    ]),
  ];
  columns.forEach((c, i) => {
    const column = ws.getColumn(i + 1);
    column.protection = UNLOCKED;
    column.fill = INPUT_FILL;
    if (c.text) column.numFmt = TEXT_FORMAT;
    if (c.validation) {
      const letter = columnLetter(i);
      validateRange(ws, `${letter}${FIRST_DATA_ROW}:${letter}${lastRow}`, c.validation);
    }
  });
  headerRows(ws, columns);
  columns.forEach((c, i) => {
    if (c.note) ws.getCell(LABEL_ROW, i + 1).note = c.note;
  });
}

function fieldValidation(
  m: LoadedMethodology,
  group: GroupDefinition,
  field: GroupDefinition['fields'][number],
): ExcelJS.DataValidation | undefined {
  if (field.type === 'year') {
    const oldest = field.maxAgeYears === undefined ? 1900 : m.period - field.maxAgeYears;
    return {
      type: 'whole',
      operator: 'between',
      allowBlank: !field.required,
      formulae: [oldest, m.period],
      showErrorMessage: true,
      errorTitle: 'Tahun tidak sah',
      error: `Tulis tahun ${oldest}–${m.period}.`,
    };
  }
  if (field.type !== 'code') return undefined;
  const known = knownCodeValues(m, group, field.key);
  const list = listFormula(known);
  // Suggestions only: other values are legitimate (not every urusan is a basic service).
  return list ? { type: 'list', allowBlank: true, formulae: [list], showErrorMessage: false } : undefined;
}
