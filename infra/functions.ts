/**
 * The catalog of Lambda handlers: one entry file per handler under functions/, each exporting
 * `handler`. The CDK app, the bundle report and the local runtime all read this list.
 */
export interface FunctionSpec {
  /** Entry file relative to the repository root. */
  entry: string;
  description: string;
  memorySize: number;
  timeoutSeconds: number;
}

export const FUNCTIONS = {
  requestUpload: {
    entry: 'functions/request-upload.ts',
    description: 'API: presigned POST for an upload to submissions/',
    memorySize: 512,
    timeoutSeconds: 10,
  },
  ingestUpload: {
    entry: 'functions/ingest-upload.ts',
    description: 'S3 Object Created: record the submission once, start its pipeline',
    memorySize: 256,
    timeoutSeconds: 30,
  },
  validateSubmission: {
    entry: 'functions/validate-submission.ts',
    description: 'Submission pipeline: read and validate the upload, write the report',
    memorySize: 1024,
    timeoutSeconds: 120,
  },
  scoreSubmission: {
    entry: 'functions/score-submission.ts',
    description: 'Submission pipeline: provisional score card',
    memorySize: 1024,
    timeoutSeconds: 60,
  },
  recordSubmissionFailure: {
    entry: 'functions/record-submission-failure.ts',
    description: 'Submission pipeline catch: mark the submission FAILED with a reason',
    memorySize: 256,
    timeoutSeconds: 15,
  },
  sweepSubmissions: {
    entry: 'functions/sweep-submissions.ts',
    description:
      'Every 15 min and API (admin): drive submissions a crash left in flight to a terminal status',
    memorySize: 512,
    timeoutSeconds: 300,
  },
  freezeManifest: {
    entry: 'functions/freeze-manifest.ts',
    description: "National run: freeze the cycle's accepted submissions into a manifest",
    memorySize: 512,
    timeoutSeconds: 120,
  },
  revalidateRegionBatch: {
    entry: 'functions/revalidate-region-batch.ts',
    description: 'National run (Distributed Map): score a batch of regions',
    memorySize: 1024,
    timeoutSeconds: 300,
  },
  aggregateRun: {
    entry: 'functions/aggregate-run.ts',
    description: 'National run: relative normalisation, predikat, ranks per cluster',
    memorySize: 2048,
    timeoutSeconds: 600,
  },
  markRunProvisional: {
    entry: 'functions/mark-run-provisional.ts',
    description: 'National run: summary and status PROVISIONAL',
    memorySize: 512,
    timeoutSeconds: 120,
  },
  cycleTransition: {
    entry: 'functions/cycle-transition.ts',
    description: 'Scheduler target: open/close the window, start the national run (idempotent)',
    memorySize: 256,
    timeoutSeconds: 60,
  },
  apiCycles: {
    entry: 'functions/api-cycles.ts',
    description: 'API: cycles, calendars, publication, templates, health, OpenAPI',
    memorySize: 1024,
    timeoutSeconds: 29,
  },
  apiSubmissions: {
    entry: 'functions/api-submissions.ts',
    description: 'API: submissions and province completeness',
    memorySize: 512,
    timeoutSeconds: 29,
  },
  apiResults: {
    entry: 'functions/api-results.ts',
    description: 'API: rankings, region results, history, summaries',
    memorySize: 512,
    timeoutSeconds: 29,
  },
  apiBundle: {
    entry: 'functions/api-bundle.ts',
    description: 'API: the reproducibility bundle (zip) of a published run',
    memorySize: 1024,
    timeoutSeconds: 29,
  },
  apiSurvey: {
    entry: 'functions/api-survey.ts',
    description: 'API: IKKD survey channel for accounts (respondent lists, invitations, rates, scores)',
    memorySize: 1024,
    timeoutSeconds: 29,
  },
  surveyForm: {
    entry: 'functions/survey-form.ts',
    description: 'API (public): the IKKD survey form by one-time code; answers stored anonymously',
    memorySize: 512,
    timeoutSeconds: 10,
  },
  apiVerification: {
    entry: 'functions/api-verification.ts',
    description: 'API: verification, objections (sanggah), stage phases, final editions',
    memorySize: 1024,
    timeoutSeconds: 29,
  },
  planVerificationPhase: {
    entry: 'functions/plan-verification-phase.ts',
    description: 'Verification phase results: the covered regions in batches',
    memorySize: 512,
    timeoutSeconds: 60,
  },
  scoreVerificationBatch: {
    entry: 'functions/score-verification-batch.ts',
    description: 'Verification phase results (Map): self, verified, final scores and changes of a batch',
    memorySize: 1024,
    timeoutSeconds: 300,
  },
  completeVerificationPhase: {
    entry: 'functions/complete-verification-phase.ts',
    description: 'Verification phase results: rank every region once, rank notices, move the phase',
    memorySize: 1024,
    timeoutSeconds: 300,
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionKey = keyof typeof FUNCTIONS;
