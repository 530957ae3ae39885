import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePacked, packSubmission, scoreFast, scorePacked } from '#domain/engine/index';
import { submissionSchema } from '#domain/submission';
import { handler as apiSubmissions } from '#functions/api-submissions';
import { handler as ingestUpload } from '#functions/ingest-upload';
import { handler as recordSubmissionFailure } from '#functions/record-submission-failure';
import { handler as requestUpload } from '#functions/request-upload';
import { handler as scoreSubmission } from '#functions/score-submission';
import { createValidateSubmission, handler as validateSubmission } from '#functions/validate-submission';
import { intakeFile } from '#intake/index';
import { apiEvent } from '../../support/api-event';
import { innovation, spdAtLevel } from '../../support/iid';
import {
  BUCKET,
  call,
  createCycle,
  type Harness,
  json,
  operatorOf,
  shipped,
  startHarness,
  storedObject,
  upload,
} from './harness';
import { runExecution, type Tasks } from './state-machine';

const IID = shipped('iid-2023');
const CYCLE = 'iid-2023-nasional';
const KODE = '18.01';
const tasks: Tasks = {
  validate: validateSubmission,
  score: scoreSubmission,
  recordFailure: recordSubmissionFailure,
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await createCycle(h, CYCLE, IID);
});
afterAll(async () => {
  await h?.close();
});

const iidData = (level = 2, kode = KODE) => ({
  methodology: 'iid-2023',
  methodologyHash: IID.hash,
  region: kode,
  period: 2023,
  indicators: spdAtLevel(level),
  groups: {
    inovasi: [
      innovation('INV-1', 3, { tahun: 2021 }),
      innovation('INV-2', level, { urusan: 'pendidikan', tahun: 2022 }),
    ],
  },
});
const bytesOf = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

async function uploadData(kode: string, value: unknown, fileName = `isian-${kode}.json`) {
  return upload(requestUpload, {
    cycleId: CYCLE,
    kode,
    fileName,
    contentType: 'application/json',
    bytes: bytesOf(value),
  });
}

/** What ingest-upload started (the mocked StartExecution), run through the state machine's states. */
async function runStarted(submissionId: string) {
  const started = h.executions.find((e) => e.name === submissionId);
  if (!started) throw new Error(`no execution ${submissionId}`);
  return runExecution(tasks, started.input);
}

describe('upload → ingest → validate → score', () => {
  it('an evidence upload is recorded for the region and starts nothing', async () => {
    const before = h.executions.length;
    const { post, event } = await upload(requestUpload, {
      cycleId: CYCLE,
      kode: KODE,
      fileName: 'spd 3.pdf',
      contentType: 'application/pdf',
      bytes: Buffer.from('%PDF-1.4 bukti'),
      kind: 'evidence',
    });
    expect(post.key).toMatch(/^submissions\/iid-2023-nasional\/18\.01\/evidence-[0-9a-z]+\/spd_3\.pdf$/);
    expect(await ingestUpload(event)).toEqual({ outcome: 'evidence', created: true, key: post.key });
    expect(await ingestUpload(event)).toMatchObject({ outcome: 'evidence', created: false });
    expect(h.executions.length).toBe(before);
    const evidence = await h.table.repos.evidence.listForRegion(CYCLE, KODE);
    expect(evidence.map((e) => e.fileName)).toEqual(['spd_3.pdf']);
    expect((await h.table.repos.submissions.listForRegion(CYCLE, KODE)).items).toEqual([]);
  });

  it('a valid file is ACCEPTED then SCORED with a provisional score card; the original is kept', async () => {
    const data = { ...iidData(), indicators: { ...spdAtLevel(2), '3': { level: 2, evidence: 'spd 3.pdf' } } };
    const { post, event } = await uploadData(KODE, data);
    const original = await storedObject(h, post.key);

    const ingested = await ingestUpload(event);
    expect(ingested).toMatchObject({
      outcome: 'submission',
      created: true,
      status: 'UPLOADED',
      pipeline: 'started',
    });
    const submissionId = (ingested as { submissionId: string }).submissionId;
    const started = h.executions.find((e) => e.name === submissionId);
    expect(started?.input).toEqual({
      cycleId: CYCLE,
      kode: KODE,
      submissionId,
      bucket: BUCKET,
      key: post.key,
    });

    const run = await runStarted(submissionId);
    expect(run.state.error).toBeUndefined();
    expect(run.outcome).toBe('Scored');
    expect(run.state.validation).toMatchObject({
      valid: true,
      status: 'ACCEPTED',
      reportKey: `reports/${CYCLE}/${KODE}/${submissionId}.json`,
      canonicalKey: `reports/${CYCLE}/${KODE}/${submissionId}.submission.json`,
      errorCount: 0,
      format: 'json',
    });
    expect(run.state.score).toMatchObject({
      status: 'SCORED',
      scoreCardKey: `scorecards/${CYCLE}/${KODE}/${submissionId}.json`,
      provisional: true,
    });

    const record = await h.table.repos.submissions.get({ cycleId: CYCLE, kode: KODE, submissionId });
    expect(record?.status).toBe('SCORED');
    expect(record?.history.map((c) => c.status)).toEqual(['UPLOADED', 'VALIDATING', 'ACCEPTED', 'SCORED']);
    expect(record?.executionName).toBe(submissionId);
    const pointers = await h.table.repos.regionStatus.get(CYCLE, KODE);
    expect(pointers?.current).toMatchObject({ submissionId, status: 'SCORED' });
    expect(pointers?.latest).toMatchObject({ submissionId, status: 'SCORED' });

    const card = await h.table.repos.scoreCards.get(CYCLE, KODE, submissionId);
    expect(card).toMatchObject({ methodology: { id: 'iid-2023', hash: IID.hash }, eligible: true });

    // The ledger: the upload with the sha256 of the very bytes stored, then the validation outcome.
    const ledger = (await h.table.repos.ledger.list(CYCLE)).filter(
      (e) => e.subject.submission === submissionId,
    );
    expect(ledger.map((e) => [e.action, e.subject.key])).toEqual([
      ['upload.accepted', post.key],
      ['validation.accepted', post.key],
    ]);
    expect(ledger[0]?.after).toMatchObject({
      sha256: createHash('sha256').update(original.bytes).digest('hex'),
      size: original.bytes.length,
    });
    expect(ledger[1]).toMatchObject({ actor: { sub: 'system', role: 'system' }, after: { errors: 0 } });
    expect(card?.indexValue).toBeGreaterThan(0);
    expect(Object.keys(card?.components ?? {})).toEqual(['SPD', 'SID']);

    // Evidence uploaded before: its reference is found; the others are reported as not uploaded.
    const report = await h.objects.getJson<{
      problems: { code: string; location: { indicator?: string } }[];
    }>(`reports/${CYCLE}/${KODE}/${submissionId}.json`);
    const notUploaded = report.problems.filter((p) => p.code === 'EVIDENCE_NOT_UPLOADED');
    expect(notUploaded.length).toBeGreaterThan(0);
    expect(notUploaded.some((p) => p.location.indicator === '3')).toBe(false);

    // The canonical JSON is a valid upload itself, and exactly what was scored.
    const canonical = await h.objects.getBytes(`reports/${CYCLE}/${KODE}/${submissionId}.submission.json`);
    const again = await intakeFile({ bytes: canonical, fileName: 'c.json', methodology: IID, region: KODE });
    expect(again.submission).toEqual(submissionSchema.parse(JSON.parse(canonical.toString('utf8'))));
    const trace = await h.objects.getJson<{
      provisional: boolean;
      input: { key: string };
      card: { index: number };
    }>(`scorecards/${CYCLE}/${KODE}/${submissionId}.json`);
    expect(trace.provisional).toBe(true);
    expect(trace.input.key).toBe(`reports/${CYCLE}/${KODE}/${submissionId}.submission.json`);

    // Packed once, beside it: the same cells as packing the canonical JSON, the same published value.
    const canonicalSubmission = submissionSchema.parse(JSON.parse(canonical.toString('utf8')));
    const packed = decodePacked(
      await h.objects.getBytes(`reports/${CYCLE}/${KODE}/${submissionId}.packed.bin`),
    );
    expect(packed).toEqual(packSubmission(IID, canonicalSubmission));
    expect(scorePacked(IID, packed)).toEqual(scoreFast(IID, canonicalSubmission));

    expect(await storedObject(h, post.key)).toEqual(original);

    // The operator reads it back through the API.
    const detail = await call(
      apiSubmissions,
      apiEvent('GET /cycles/{cycleId}/regions/{kode}/submissions/{submissionId}', {
        params: { cycleId: CYCLE, kode: KODE, submissionId },
        ...operatorOf(KODE),
      }),
    );
    expect(detail.statusCode).toBe(200);
    const body = json(detail);
    expect(body).toMatchObject({
      submissionId,
      status: 'SCORED',
      latest: true,
      current: true,
      methodology: { id: 'iid-2023', hash: IID.hash },
      report: { format: 'json', counts: { errors: 0 } },
      scoreCard: { provisional: true, indexValue: card?.indexValue, predikat: card?.predikat },
    });
    expect((body.scoreCard as { trace: { breakdown: unknown } }).trace.breakdown).toBeDefined();
    expect(JSON.stringify(body)).not.toContain('scorecards/');
  });

  it('the same object event twice is one submission and one execution name; late duplicates start nothing', async () => {
    const { event } = await uploadData('18.02', iidData(1, '18.02'));
    const first = await ingestUpload(event);
    const second = await ingestUpload(event);
    expect(first).toMatchObject({ created: true, pipeline: 'started' });
    expect(second).toMatchObject({ created: false, pipeline: 'already-started' });
    const submissionId = (first as { submissionId: string }).submissionId;
    expect(second).toMatchObject({ submissionId });
    expect(h.executions.filter((e) => e.name === submissionId)).toHaveLength(1);

    expect((await runStarted(submissionId)).outcome).toBe('Scored');
    const starts = h.sfn.calls().length;
    const late = await ingestUpload(event);
    expect(late).toEqual({ outcome: 'submission', created: false, submissionId, status: 'SCORED' });
    expect(h.sfn.calls().length).toBe(starts);
    expect((await h.table.repos.submissions.listForRegion(CYCLE, '18.02')).items).toHaveLength(1);

    // Replayed tasks return what was recorded and move nothing backwards.
    const replay = await runStarted(submissionId);
    expect(replay.outcome).toBe('Scored');
    const record = await h.table.repos.submissions.get({ cycleId: CYCLE, kode: '18.02', submissionId });
    expect(record?.history.map((c) => c.status)).toEqual(['UPLOADED', 'VALIDATING', 'ACCEPTED', 'SCORED']);
    // Recorded once in the ledger, however often the event and the tasks were replayed.
    const entries = (await h.table.repos.ledger.list(CYCLE)).filter(
      (e) => e.subject.submission === submissionId,
    );
    expect(entries.map((e) => e.action)).toEqual(['upload.accepted', 'validation.accepted']);
  });

  it('out of order: an older upload finishing last never replaces the newer current one', async () => {
    const kode = '18.03';
    const older = await uploadData(kode, iidData(1, kode), 'lama.json');
    await new Promise((r) => setTimeout(r, 1100)); // S3 event times have one-second resolution
    const newer = await uploadData(kode, iidData(3, kode), 'baru.json');
    const newId = ((await ingestUpload(newer.event)) as { submissionId: string }).submissionId;
    const oldId = ((await ingestUpload(older.event)) as { submissionId: string }).submissionId;
    expect((await runStarted(newId)).outcome).toBe('Scored');
    expect((await runStarted(oldId)).outcome).toBe('Scored');
    const pointers = await h.table.repos.regionStatus.get(CYCLE, kode);
    expect(pointers?.current?.submissionId).toBe(newId);
    expect(pointers?.latest?.submissionId).toBe(newId);

    const list = await call(
      apiSubmissions,
      apiEvent('GET /cycles/{cycleId}/regions/{kode}/submissions', {
        params: { cycleId: CYCLE, kode },
        query: { limit: '1' },
        ...operatorOf(kode),
      }),
    );
    const page = json(list) as { items: { submissionId: string; current: boolean }[]; cursor?: string };
    expect(page.items.map((i) => [i.submissionId, i.current])).toEqual([[newId, true]]);
    expect(page.cursor).toBeDefined();
    const next = await call(
      apiSubmissions,
      apiEvent('GET /cycles/{cycleId}/regions/{kode}/submissions', {
        params: { cycleId: CYCLE, kode },
        query: { limit: '1', cursor: page.cursor ?? '' },
        ...operatorOf(kode),
      }),
    );
    expect((json(next) as { items: { submissionId: string }[] }).items.map((i) => i.submissionId)).toEqual([
      oldId,
    ]);
  });

  it('an unexpected failure ends FAILED with the reason, never VALIDATING, and is recorded once', async () => {
    const kode = '18.04';
    const { post, event } = await uploadData(kode, iidData(2, kode));
    const submissionId = ((await ingestUpload(event)) as { submissionId: string }).submissionId;
    // A deployment whose methodology differs from the cycle's: validation must refuse to guess.
    const broken = createValidateSubmission({
      methodologies: (id) => (id === 'iid-2023' ? { ...IID, hash: 'sha256:other' } : undefined),
    });
    const started = h.executions.find((e) => e.name === submissionId);
    const run = await runExecution({ ...tasks, validate: broken }, started?.input);
    expect(run.outcome).toBe('Failed');
    expect(run.state.error).toMatchObject({ Error: 'METHODOLOGY_CHANGED' });
    expect(run.state.failure).toEqual({ recorded: true, outcome: 'applied', status: 'FAILED' });
    const record = await h.table.repos.submissions.get({ cycleId: CYCLE, kode, submissionId });
    expect(record?.status).toBe('FAILED');
    expect(record?.failure?.error).toBe('METHODOLOGY_CHANGED');
    expect(record?.failure?.cause).toContain('sha256:other');
    expect(record?.failure?.reason).toContain('berkas asli tetap tersimpan');
    expect(record?.history.map((c) => c.status)).toEqual(['UPLOADED', 'VALIDATING', 'FAILED']);
    expect(await recordSubmissionFailure(run.state)).toEqual({
      recorded: false,
      outcome: 'unchanged',
      status: 'FAILED',
    });
    expect((await storedObject(h, post.key)).bytes.length).toBeGreaterThan(0);
  });
});
