export { answerBodySchema, type SurveyAnswers, type SurveyForm, surveyForm } from './answers';
export {
  CODE_ALPHABET,
  CODE_BYTES,
  CODE_SYMBOLS,
  codeFromBytes,
  codeHash,
  formatCode,
  invitationLink,
  normaliseCode,
} from './codes';
export { type CategoryRate, type InvitationState, type ResponseRates, responseRates } from './rates';
export {
  type CategoryCount,
  categoryCounts,
  checkRespondentList,
  type ListedRespondent,
  quotaProblems,
  type RespondentEntry,
  respondentEntrySchema,
} from './respondents';
export {
  channelSurvey,
  type DimensionScore,
  type SurveyScores,
  surveyScores,
  withChannelSurvey,
} from './scores';
