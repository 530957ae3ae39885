/** Submission intake: templates, parsers and validation. See README.md in this folder. */
export { detectFormat, type Format, formatOfContentType, formatOfFileName, sniff } from './detect';
export { fileNameKey, sanitizeFileName } from './file-name';
export {
  DEFAULT_MAX_BYTES,
  type IntakeInput,
  type IntakeOptions,
  type IntakeResult,
  intakeFile,
} from './intake';
export { type IntakeLimits, intakeLimits, SURVEY_MAX_RESPONDENTS } from './limits';
export { looksLikeFormula, neutraliseCell } from './neutralise';
export { parseDecimal } from './numbers';
export { type Placement, type ProfileField, placeIndicators, profileFields } from './placement';
export {
  type ValidationContext,
  type ValidationOptions,
  validateSubmission,
  validateSurveySubmission,
} from './validate';
export { buildSurveyTemplate } from './xlsx/survey-template';
export { buildTemplate, type TemplateOptions, type TemplateRegion } from './xlsx/template';
export { DEFAULT_ZIP_LIMITS, guardZip, type ZipLimits } from './zip-guard';
