import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedMethodology } from '#domain/methodology/load';
import type { Problem } from '#domain/problems';
import { handler as apiSubmissions } from '#functions/api-submissions';
import { handler as ingestUpload } from '#functions/ingest-upload';
import { handler as recordSubmissionFailure } from '#functions/record-submission-failure';
import { handler as requestUpload } from '#functions/request-upload';
import { createScoreSubmission } from '#functions/score-submission';
import { createValidateSubmission } from '#functions/validate-submission';
import { miniIid } from '../../fixtures/intake/methodologies';
import { apiEvent } from '../../support/api-event';
import { BAD_FILES, CSV, sampleCsv, WORKBOOK_EVIDENCE, workbook, XLSX } from './files';
import {
  call,
  createCycle,
  type Harness,
  json,
  operatorOf,
  startHarness,
  storedObject,
  upload,
} from './harness';
import { runExecution, type Tasks } from './state-machine';

/** The cycle runs the intake fixtures' mini IID methodology (not shipped, so looked up here). */
const lookup = (id: string): LoadedMethodology | undefined => (id === miniIid.id ? miniIid : undefined);
const tasks: Tasks = {
  validate: createValidateSubmission({ methodologies: lookup }),
  score: createScoreSubmission({ methodologies: lookup }),
  recordFailure: recordSubmissionFailure,
};
const CYCLE = 'mini-iid-2023';
const KODE = '18.01';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await createCycle(h, CYCLE, miniIid);
});
afterAll(async () => {
  await h?.close();
});

async function submit(fileName: string, contentType: string, bytes: Buffer, run: Tasks = tasks) {
  const { post, event } = await upload(requestUpload, {
    cycleId: CYCLE,
    kode: KODE,
    fileName,
    contentType,
    bytes,
    declaredSize: Math.max(1, bytes.length),
  });
  const ingested = (await ingestUpload(event)) as { submissionId: string };
  const started = h.executions.find((e) => e.name === ingested.submissionId);
  const execution = await runExecution(run, started?.input);
  return { post, submissionId: ingested.submissionId, execution };
}

const detail = async (submissionId: string) =>
  json(
    await call(
      apiSubmissions,
      apiEvent('GET /cycles/{cycleId}/regions/{kode}/submissions/{submissionId}', {
        params: { cycleId: CYCLE, kode: KODE, submissionId },
        ...operatorOf(KODE),
      }),
    ),
  ) as {
    status: string;
    report: { counts: { errors: number }; problems: Problem[] };
    problemCounts: unknown;
  };

describe('every structural, semantic and hostile file is REJECTED with its codes and locations; the original stays', () => {
  // An empty file cannot land: the policy's content-length-range starts at 1 byte (tested below).
  const landing = BAD_FILES.filter((f) => f.errors[0]?.[0] !== 'EMPTY_FILE');
  it.each(landing.map((f) => [`${f.kind}: ${f.name}`, f] as const))('%s', async (_name, file) => {
    const bytes = await file.bytes();
    const { post, submissionId, execution } = await submit(file.fileName, file.contentType, bytes);
    expect(execution.outcome).toBe('Rejected');
    expect(execution.state.validation).toMatchObject({
      valid: false,
      status: 'REJECTED',
      errorCount: file.errors.length,
    });
    expect(execution.state.validation).not.toHaveProperty('canonicalKey');

    const record = await h.table.repos.submissions.get({ cycleId: CYCLE, kode: KODE, submissionId });
    expect(record?.status).toBe('REJECTED');
    expect(record?.validation?.errorCount).toBe(file.errors.length);
    expect(record?.history.map((c) => c.status)).toEqual(['UPLOADED', 'VALIDATING', 'REJECTED']);

    const body = await detail(submissionId);
    const errors = body.report.problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => [p.code, p.location])).toEqual(file.errors);
    for (const p of errors) {
      expect(p.message_id.length).toBeGreaterThan(0);
      expect(p.message_en.length).toBeGreaterThan(0);
    }

    // The original bytes are untouched and nothing was canonicalised or scored.
    expect((await storedObject(h, post.key)).bytes.equals(bytes)).toBe(true);
    await expect(
      h.objects.getBytes(`reports/${CYCLE}/${KODE}/${submissionId}.submission.json`),
    ).rejects.toThrow();
    expect(await h.table.repos.scoreCards.get(CYCLE, KODE, submissionId)).toBeUndefined();
  });

  it('an empty file is refused by S3 itself (content-length-range from 1 byte), as on AWS', async () => {
    await expect(submit('isian.csv', CSV, Buffer.alloc(0))).rejects.toThrow(/400.*EntityTooSmall/s);
  });

  it('a file above the size cap is rejected without being read', async () => {
    const capped: Tasks = {
      ...tasks,
      validate: createValidateSubmission({ methodologies: lookup, maxBytes: 1024 }),
    };
    const bytes = await workbook();
    const { execution, submissionId } = await submit('besar.xlsx', XLSX, bytes, capped);
    expect(execution.outcome).toBe('Rejected');
    const body = await detail(submissionId);
    expect(body.report.problems.map((p) => [p.code, p.location])).toEqual([
      ['FILE_TOO_LARGE', { file: 'besar.xlsx' }],
    ]);
  });

  it('rejections never count: the region has no current submission until one is accepted', async () => {
    const pointers = await h.table.repos.regionStatus.get(CYCLE, KODE);
    expect(pointers?.latest?.status).toBe('REJECTED');
    expect(pointers?.current).toBeUndefined();
  });
});

describe('accepted files', () => {
  it('a correct workbook with its evidence uploaded first is ACCEPTED without problems, then SCORED and current', async () => {
    for (const name of WORKBOOK_EVIDENCE) {
      const { event } = await upload(requestUpload, {
        cycleId: CYCLE,
        kode: KODE,
        fileName: name,
        contentType: 'application/pdf',
        bytes: Buffer.from(`%PDF-1.4 ${name}`),
        kind: 'evidence',
      });
      expect(await ingestUpload(event)).toMatchObject({ outcome: 'evidence', created: true });
    }
    const { submissionId, execution } = await submit('isian.xlsx', XLSX, await workbook());
    expect(execution.outcome).toBe('Scored');
    expect(execution.state.validation).toMatchObject({
      valid: true,
      errorCount: 0,
      warningCount: 0,
      format: 'xlsx',
    });
    const pointers = await h.table.repos.regionStatus.get(CYCLE, KODE);
    expect(pointers?.current).toMatchObject({ submissionId, status: 'SCORED' });
    const card = await h.table.repos.scoreCards.get(CYCLE, KODE, submissionId);
    expect(card?.methodology).toEqual({ id: miniIid.id, hash: miniIid.hash });
  });

  it('warnings do not reject: evidence never uploaded is reported, the file is accepted', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // S3 event times have one-second resolution
    const { submissionId, execution } = await submit('isian.csv', CSV, Buffer.from(sampleCsv()));
    expect(execution.outcome).toBe('Scored');
    const body = await detail(submissionId);
    expect(body.report.counts.errors).toBe(0);
    expect(
      body.report.problems.filter((p) => p.code === 'EVIDENCE_NOT_UPLOADED').map((p) => p.location.indicator),
    ).toEqual(['1', '2a', '16', '16']);
    // The newer accepted upload is now the one that counts.
    const pointers = await h.table.repos.regionStatus.get(CYCLE, KODE);
    expect(pointers?.current?.submissionId).toBe(submissionId);
  });
});
