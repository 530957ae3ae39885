import * as z from 'zod';
import type { SurveyDefinition } from '../methodology/schema';

/**
 * What a respondent sends from the form: one whole number on the methodology's scale for every
 * item. The answer is stored as it is, with no name, category, code or time attached.
 */
export function answerBodySchema(survey: SurveyDefinition) {
  const { min, max } = survey.scale;
  const shape: Record<string, z.ZodNumber> = {};
  for (const item of survey.items) shape[item.code] = z.number().int().min(min).max(max);
  return z.object({ answers: z.object(shape).strict() }).strict();
}

export type SurveyAnswers = Record<string, number>;

/** The form's content for a respondent: the items and the scale, in both languages. */
export interface SurveyForm {
  scale: { min: number; max: number; labels: { value: number; id: string; en: string }[] };
  items: { code: string; text: { id: string; en: string } }[];
  /** Dimension headings, in form order: the survey indicators of the methodology. */
  sections: { code: string; name: { id: string; en: string }; items: string[] }[];
}

const LIKERT_5 = [
  { id: 'Sangat tidak setuju', en: 'Strongly disagree' },
  { id: 'Tidak setuju', en: 'Disagree' },
  { id: 'Ragu-ragu', en: 'Neither agree nor disagree' },
  { id: 'Setuju', en: 'Agree' },
  { id: 'Sangat setuju', en: 'Strongly agree' },
];

export function surveyForm(
  survey: SurveyDefinition,
  sections: readonly { code: string; name: { id: string; en: string }; items: readonly string[] }[],
): SurveyForm {
  const { min, max } = survey.scale;
  const five = max - min === 4;
  const labels = [];
  for (let v = min; v <= max; v++) {
    const word = five ? LIKERT_5[v - min] : undefined;
    labels.push({
      value: v,
      id: word ? `${v} – ${word.id}` : String(v),
      en: word ? `${v} – ${word.en}` : String(v),
    });
  }
  return {
    scale: { min, max, labels },
    items: survey.items.map((i) => ({ code: i.code, text: i.text })),
    sections: sections.map((s) => ({ code: s.code, name: s.name, items: [...s.items] })),
  };
}
