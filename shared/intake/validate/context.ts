import type { LoadedMethodology } from '#domain/methodology/load';
import type { Problem, ProblemLocation, Severity } from '#domain/problems';
import { fileNameKey } from '../file-name';
import { locate, type SourceMap } from '../paths';

export interface ValidationOptions {
  /** A file prepared for another version of this methodology (hash differs, or no template metadata). Default error. */
  templateMismatch?: Severity;
  /**
   * Evidence named in the data file but not (yet) uploaded. Default warning: operators often send
   * the data file first and the PDFs after; escalate to error when the window closes.
   */
  evidenceNotUploaded?: Severity;
  /**
   * Fewer valid respondents than the survey's minimum. Scoring gives the survey dimensions 0 and
   * leaves the region unranked (`survey-below-minimum`). Default warning for the upload pipeline:
   * the upload is kept (the operator can add respondents before the deadline) and the completeness
   * view shows the gap. `indeks validate` asks for error: the submission as it stands cannot rank.
   */
  surveyBelowMinimum?: Severity;
}

export interface ValidationContext {
  methodology: LoadedMethodology;
  /** The region of the upload (from the URL, authorised), which the file must agree with. */
  region: string;
  /** Names of the evidence files uploaded so far; omit to skip the "never uploaded" check. */
  evidenceNames?: readonly string[];
  options?: ValidationOptions;
  /** Where canonical paths came from in a spreadsheet; absent for JSON (paths are reported). */
  sources?: SourceMap;
}

/** What every check needs: the sink, resolved options and a locator. */
export interface Checker {
  ctx: ValidationContext;
  sink: Problem[];
  options: Required<ValidationOptions>;
  uploaded?: Set<string>;
  at: (path: string, indicator?: string) => ProblemLocation;
}

export function checker(ctx: ValidationContext): Checker {
  return {
    ctx,
    sink: [],
    options: {
      templateMismatch: ctx.options?.templateMismatch ?? 'error',
      evidenceNotUploaded: ctx.options?.evidenceNotUploaded ?? 'warning',
      surveyBelowMinimum: ctx.options?.surveyBelowMinimum ?? 'warning',
    },
    uploaded: ctx.evidenceNames ? new Set(ctx.evidenceNames.map(fileNameKey)) : undefined,
    at: (path, indicator) => locate(ctx.sources, path, indicator),
  };
}
