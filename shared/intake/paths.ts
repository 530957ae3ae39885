import type { ProblemLocation } from '#domain/problems';

/**
 * Canonical-submission paths, as zod and `formatPath` spell them. Parsers record where each path
 * came from (sheet, row, column) so validation of the canonical form can point at the cell.
 */
export type SourceMap = Map<string, ProblemLocation>;

export const path = {
  indicator: (code: string) => `indicators.${code}`,
  evidence: (answerPath: string) => `${answerPath}.evidence`,
  item: (group: string, index: number) => `groups.${group}[${index}]`,
  field: (itemPath: string, key: string) => `${itemPath}.${key}`,
  itemAnswer: (itemPath: string, code: string) => `${itemPath}.indicators.${code}`,
  profile: (key: string) => `profile.${key}`,
  respondent: (index: number) => `survey.respondents[${index}]`,
  surveyAnswer: (respondentPath: string, item: string) => `${respondentPath}.answers.${item}`,
};

/** The recorded cell for a path, else its nearest recorded parent, else the bare path (JSON). */
export function locate(sources: SourceMap | undefined, at: string, indicator?: string): ProblemLocation {
  let key = at;
  while (sources && key) {
    const found = sources.get(key);
    if (found) return indicator ? { ...found, indicator } : found;
    const cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
    key = cut > 0 ? key.slice(0, cut) : '';
  }
  return indicator ? { path: at, indicator } : { path: at };
}
