import { lambdaHandler } from '#adapters/observability';
import { createIngestUpload } from './lib/submissions/ingest';

export { createIngestUpload, type IngestDeps, type IngestResult } from './lib/submissions/ingest';

/** EventBridge `Object Created` under `submissions/` (see lib/submissions/ingest.ts). */
export const handler = lambdaHandler(createIngestUpload());
