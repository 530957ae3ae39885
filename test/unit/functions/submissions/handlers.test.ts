import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { CycleRecord, SubmissionRecord, UploadGrantRecord } from '#adapters/dynamo/index';
import { ObjectStore } from '#adapters/object-store';
import { getMethodology } from '#domain/methodology/registry';
import { createApiSubmissions } from '#functions/api-submissions';
import { createIngestUpload, type IngestDeps } from '#functions/ingest-upload';
import { createRecordSubmissionFailure, type RecordFailureDeps } from '#functions/record-submission-failure';
import { createRequestUpload, type RequestUploadDeps } from '#functions/request-upload';
import { createScoreSubmission, type ScoreDeps } from '#functions/score-submission';
import { createValidateSubmission, type ValidateDeps } from '#functions/validate-submission';
import type { ApiEvent } from '#http/api';
import { apiEvent } from '../../../support/api-event';
import { consoleJson, emfOf } from '../../../support/console-json';

/** Test doubles: only the methods a handler calls, typed through `unknown` on purpose. */
const fake = <T>(value: object): T => value as unknown as T;
const ctx = {} as Context;
const json = (body: string | undefined) => JSON.parse(body ?? '{}');

const CYCLE = fake<CycleRecord>({
  cycleId: 'iid-2026',
  status: 'OPEN',
  methodology: { id: 'iid-2023', hash: 'sha256:x' },
  calendar: {
    timeZone: 'Asia/Jakarta',
    opensAt: '2026-02-01T00:00:00+07:00',
    closesAt: '2026-03-31T23:59:00+07:00',
    extensions: [],
    nationalRunAt: '2026-05-01T00:00:00+07:00',
  },
});

const submission = (
  status: SubmissionRecord['status'],
  extra: Partial<SubmissionRecord> = {},
): SubmissionRecord => ({
  cycleId: 'iid-2026',
  kode: '18.01',
  provinsi: '18',
  submissionId: 's-1',
  status,
  history: [],
  object: { bucket: 'uploads', key: 'submissions/iid-2026/18.01/data-0123456789/a.csv', etag: 'e' },
  uploadedAt: '2026-03-01T00:00:00.000Z',
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt: '2026-03-01T00:00:00.000Z',
  ...extra,
});

const payload = {
  cycleId: 'iid-2026',
  kode: '18.01',
  submissionId: 's-1',
  bucket: 'uploads',
  key: 'submissions/iid-2026/18.01/data-0123456789/a.csv',
};

const failing = (name: string, status?: number) => () =>
  Promise.reject(
    Object.assign(new Error(name), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) }),
  );

describe('ingest-upload', () => {
  const event = (key: string, bucket = 'uploads') => ({
    source: 'aws.s3',
    'detail-type': 'Object Created',
    time: '2026-03-01T10:00:00Z',
    detail: { bucket: { name: bucket }, object: { key, size: 10, etag: 'abc', 'version-id': 'v1' } },
  });
  const deps = (over: Partial<IngestDeps> = {}) => {
    const repos = {
      cycles: { get: vi.fn(async (): Promise<CycleRecord | undefined> => CYCLE) },
      submissions: {
        createFromUpload: vi.fn(async () => ({ created: true, submission: submission('UPLOADED') })),
      },
      evidence: {
        record: vi.fn(async () => ({ created: true })),
        recordNotAdmitted: vi.fn(async () => ({ created: true })),
      },
      // The grant request-upload recorded for the key the tests use (10 bytes within 1..100).
      grants: {
        get: vi.fn(
          async (
            _cycleId: string,
            kode: string,
            uploadId: string,
          ): Promise<UploadGrantRecord | undefined> => ({
            cycleId: 'iid-2026',
            kode,
            uploadId,
            kind: uploadId.startsWith('evidence') ? 'evidence' : 'data',
            key: `submissions/iid-2026/${kode}/${uploadId}/${uploadId.startsWith('evidence') ? 'perda.pdf' : 'a.csv'}`,
            fileName: 'a.csv',
            contentType: 'text/csv',
            minBytes: 1,
            maxBytes: 100,
            grantedBy: 'operator-sub',
            grantedAt: '2026-03-01T09:55:00.000Z',
            expiresAt: '2026-03-01T10:05:00.000Z',
            windowEndsAt: '2026-03-31T17:00:00.000Z',
          }),
        ),
      },
    };
    const sfn = { send: vi.fn(async () => ({})) };
    const log = { info: vi.fn(), warn: vi.fn() };
    return {
      repos,
      sfn,
      log,
      handler: createIngestUpload({
        repos: fake(repos),
        sfn: fake(sfn),
        log: fake(log),
        stateMachineArn: 'arn:sm',
        bucket: 'uploads',
        ...over,
      }),
    };
  };

  it('refuses an event that is not S3 Object Created (BadInput, goes to the dead-letter queue)', async () => {
    const { handler } = deps();
    await expect(handler({ source: 'aws.s3', detail: {} })).rejects.toMatchObject({ name: 'BadInput' });
    await expect(handler({ ...event('k'), time: 'yesterday' })).rejects.toMatchObject({ name: 'BadInput' });
  });

  it('ignores foreign buckets, foreign keys and unknown cycles without writing anything', async () => {
    const { handler, repos, sfn, log } = deps();
    expect(await handler(event('submissions/iid-2026/18.01/data-0123456789/a.csv', 'other'))).toEqual({
      outcome: 'ignored',
      reason: 'not the upload bucket',
    });
    expect(await handler(event('submissions/iid-2026/18.01/../../a.csv'))).toMatchObject({
      outcome: 'ignored',
    });
    repos.cycles.get.mockResolvedValueOnce(undefined);
    expect(await handler(event('submissions/nope/18.01/data-0123456789/a.csv'))).toEqual({
      outcome: 'ignored',
      reason: 'unknown cycle nope',
    });
    expect(repos.submissions.createFromUpload).not.toHaveBeenCalled();
    expect(sfn.send).not.toHaveBeenCalled();
    expect(log.warn).toHaveBeenCalledTimes(3);
  });

  it('starts the execution named after the submission with the documented input', async () => {
    const { handler, repos, sfn } = deps();
    const result = await handler(event('submissions/iid-2026/18.01/data-0123456789/a.csv'));
    expect(result).toMatchObject({ outcome: 'submission', created: true, pipeline: 'started' });
    const created = repos.submissions.createFromUpload.mock.calls[0] as unknown as [Record<string, unknown>];
    expect(created[0]).toMatchObject({ cycleId: 'iid-2026', kode: '18.01', fileName: 'a.csv' });
    expect(created[0].executionName).toBe(created[0].submissionId);
    const command = (sfn.send.mock.calls[0] as unknown as [{ input: { name: string; input: string } }])[0]
      .input;
    expect(command.name).toBe(created[0].submissionId);
    expect(JSON.parse(command.input)).toEqual({
      cycleId: 'iid-2026',
      kode: '18.01',
      submissionId: created[0].submissionId,
      bucket: 'uploads',
      key: 'submissions/iid-2026/18.01/data-0123456789/a.csv',
      versionId: 'v1',
    });
  });

  it('ExecutionAlreadyExists is success only while that execution runs; other Step Functions failures are thrown', async () => {
    const { handler, sfn } = deps();
    sfn.send
      .mockImplementationOnce(failing('ExecutionAlreadyExists'))
      .mockImplementationOnce(async () => ({ status: 'RUNNING' }));
    expect(await handler(event('submissions/iid-2026/18.01/data-0123456789/a.csv'))).toMatchObject({
      pipeline: 'already-started',
    });
    sfn.send.mockImplementationOnce(failing('ThrottlingException', 400));
    await expect(handler(event('submissions/iid-2026/18.01/data-0123456789/a.csv'))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
  });

  it('a closed execution of that name is not "already started": the next attempt gets a distinct name', async () => {
    const { handler, sfn } = deps();
    sfn.send
      .mockImplementationOnce(failing('ExecutionAlreadyExists'))
      .mockImplementationOnce(async () => ({ status: 'ABORTED' }))
      .mockImplementationOnce(async () => ({ executionArn: 'x' }));
    const result = await handler(event('submissions/iid-2026/18.01/data-0123456789/a.csv'));
    expect(result).toMatchObject({ pipeline: 'started' });
    const calls = sfn.send.mock.calls as unknown as [{ input: Record<string, string> }][];
    const id = (result as { submissionId: string }).submissionId;
    expect(calls.map(([c]) => c.input.name ?? c.input.executionArn)).toEqual([id, `arn:sm:${id}`, `${id}-2`]);
  });

  it('records evidence and starts nothing', async () => {
    const { handler, repos, sfn } = deps();
    expect(await handler(event('submissions/iid-2026/18.01/evidence-0123456789/perda.pdf'))).toMatchObject({
      outcome: 'evidence',
      created: true,
    });
    expect(repos.evidence.record).toHaveBeenCalledWith(
      expect.objectContaining({
        fileName: 'perda.pdf',
        uploadId: 'evidence-0123456789',
        uploadedAt: '2026-03-01T10:00:00Z',
      }),
    );
    expect(sfn.send).not.toHaveBeenCalled();
  });

  it('records the uploader from the grant', async () => {
    const { handler, repos } = deps();
    await handler(event('submissions/iid-2026/18.01/data-0123456789/a.csv'));
    expect(repos.submissions.createFromUpload).toHaveBeenCalledWith(
      expect.objectContaining({ uploadedBy: 'operator-sub' }),
    );
  });

  it('keeps an object no grant matches as NOT_GRANTED (no grant, another key, size out of range) and starts nothing', async () => {
    const cases: [string, (d: ReturnType<typeof deps>) => void, object][] = [
      ['no grant', (d) => d.repos.grants.get.mockResolvedValueOnce(undefined), {}],
      // The grant of upload data-0123456789 is for 18.01: the same upload id forged into 11.02.
      [
        'another key',
        (d) =>
          d.repos.grants.get.mockImplementationOnce(async () => ({
            ...((await d.repos.grants.get('iid-2026', '18.01', 'data-0123456789')) as UploadGrantRecord),
          })),
        { key: 'submissions/iid-2026/11.02/data-0123456789/a.csv' },
      ],
      ['too large', () => {}, { size: 101 }],
      ['empty', () => {}, { size: 0 }],
    ];
    for (const [name, arrange, over] of cases) {
      const d = deps();
      arrange(d);
      const base = event('submissions/iid-2026/18.01/data-0123456789/a.csv');
      const result = await d.handler({
        ...base,
        detail: { ...base.detail, object: { ...base.detail.object, ...over } },
      });
      expect(result, name).toMatchObject({ outcome: 'submission', created: true });
      const created = d.repos.submissions.createFromUpload.mock.calls[0] as unknown as [
        Record<string, unknown>,
      ];
      expect(created[0], name).toMatchObject({
        status: 'NOT_GRANTED',
        admission: { reason_en: expect.stringMatching(/not scored/) },
      });
      expect(d.sfn.send, name).not.toHaveBeenCalled();
    }
  });

  it('keeps a granted file that arrived after the window end (deadline minute + grace) as LATE', async () => {
    const d = deps();
    // Deadline 2026-03-31 23:59 WIB: the minute ends 2026-03-31T17:00:00Z; no grace declared.
    const late = {
      ...event('submissions/iid-2026/18.01/data-0123456789/a.csv'),
      time: '2026-03-31T17:00:00Z',
    };
    const emf = emfOf(await consoleJson(() => d.handler(late)));
    expect(emf).toEqual([expect.objectContaining({ cycle: 'iid-2026', SubmissionsLate: 1 })]);
    const created = d.repos.submissions.createFromUpload.mock.calls[0] as unknown as [
      Record<string, unknown>,
    ];
    expect(created[0]).toMatchObject({
      status: 'LATE',
      uploadedBy: 'operator-sub',
      admission: { uploadId: 'data-0123456789' },
    });
    expect(d.sfn.send).not.toHaveBeenCalled();

    const onTime = deps();
    const onTimeEmf = emfOf(
      await consoleJson(() => onTime.handler({ ...late, time: '2026-03-31T16:59:59Z' })),
    );
    expect(onTimeEmf).toEqual([]);
    const admitted = onTime.repos.submissions.createFromUpload.mock.calls[0] as unknown as [
      Record<string, unknown>,
    ];
    expect(admitted[0].status).toBeUndefined();
    expect(onTime.sfn.send).toHaveBeenCalledTimes(1);
  });

  it('an evidence file no grant matches is recorded as not admitted with its reason, never as evidence', async () => {
    const d = deps();
    d.repos.grants.get.mockResolvedValueOnce(undefined);
    expect(await d.handler(event('submissions/iid-2026/18.01/evidence-0123456789/perda.pdf'))).toMatchObject({
      outcome: 'evidence-not-admitted',
      status: 'NOT_GRANTED',
      created: true,
    });
    expect(d.repos.evidence.record).not.toHaveBeenCalled();
    expect(d.repos.evidence.recordNotAdmitted).toHaveBeenCalledWith(
      expect.objectContaining({
        cycleId: 'iid-2026',
        kode: '18.01',
        fileName: 'perda.pdf',
        uploadId: 'evidence-0123456789',
        status: 'NOT_GRANTED',
        admission: expect.objectContaining({ reason_en: expect.stringMatching(/not scored/) }),
      }),
    );
  });

  it('a granted evidence file that arrived after the window end is recorded as LATE', async () => {
    const d = deps();
    const late = {
      ...event('submissions/iid-2026/18.01/evidence-0123456789/perda.pdf'),
      time: '2026-03-31T17:00:00Z',
    };
    expect(await d.handler(late)).toMatchObject({ outcome: 'evidence-not-admitted', status: 'LATE' });
    expect(d.repos.evidence.recordNotAdmitted).toHaveBeenCalledWith(
      expect.objectContaining({
        status: 'LATE',
        uploadedBy: 'operator-sub',
        admission: expect.objectContaining({ uploadId: 'evidence-0123456789' }),
      }),
    );
    expect(d.repos.evidence.record).not.toHaveBeenCalled();
  });
});

describe('request-upload and ingest-upload: kind objection (new evidence of a sanggah)', () => {
  const stage = {
    cycleId: 'iid-2026',
    phase: 'SANGGAH',
    calendar: {
      verificationOpensAt: '2026-04-01T00:00:00+07:00',
      verificationClosesAt: '2026-04-30T23:59:00+07:00',
      sanggahOpensAt: '2026-05-10T00:00:00+07:00',
      sanggahClosesAt: '2026-05-20T23:59:00+07:00',
      respondBy: '2026-05-31T23:59:00+07:00',
    },
    version: 3,
    history: [],
  };
  const recorded = vi.fn(async () => {});
  const make = (now: string, phase = 'SANGGAH') =>
    createRequestUpload({
      repos: fake({
        cycles: { get: vi.fn(async () => ({ ...CYCLE, status: 'ASSESSED' })) },
        grants: { record: recorded },
        verification: { getStage: vi.fn(async () => ({ ...stage, phase })) },
      }),
      s3: new S3Client({ region: 'ap-southeast-3', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
      bucket: 'uploads',
      now: () => new Date(now),
    } satisfies Partial<RequestUploadDeps>);
  const ask = (api: ReturnType<typeof make>) =>
    api(
      apiEvent('POST /cycles/{cycleId}/regions/{kode}/uploads', {
        params: { cycleId: 'iid-2026', kode: '18.01' },
        body: { fileName: 'bukti-baru.pdf', contentType: 'application/pdf', size: 5000, kind: 'objection' },
        groups: ['operator'],
        region: '18.01',
      }) as ApiEvent,
      ctx,
    );

  it('is granted only in the sanggah window (outside: 409 with the dates in WIB), never past its close', async () => {
    const early = await ask(make('2026-05-09T12:00:00+07:00'));
    expect([early.statusCode, json(early.body).title]).toEqual([409, 'SANGGAH_NOT_OPEN']);
    expect(json(early.body).detail).toContain('from 10-05-2026 00:00 WIB to 20-05-2026 23:59 WIB');
    const late = await ask(make('2026-05-21T00:00:00+07:00'));
    expect([late.statusCode, json(late.body).title]).toEqual([409, 'SANGGAH_CLOSED']);
    const final = await ask(make('2026-05-15T10:00:00+07:00', 'FINAL'));
    expect([final.statusCode, json(final.body).title]).toEqual([409, 'CYCLE_FINAL']);
    recorded.mockClear();
    const ok = await ask(make('2026-05-20T23:58:00+07:00'));
    expect(ok.statusCode).toBe(200);
    const issued = json(ok.body);
    expect(issued).toMatchObject({ kind: 'objection', maxBytes: 25 * 1024 * 1024 });
    expect(issued.key).toMatch(/^submissions\/iid-2026\/18\.01\/objection-[0-9a-z]+\/bukti-baru\.pdf$/);
    // Two minutes before the window's last minute ends: the grant lives 120 s, not 600 s.
    expect(recorded).toHaveBeenCalledWith(
      expect.objectContaining({
        kind: 'objection',
        windowEndsAt: '2026-05-20T17:00:00.000Z',
        expiresAt: '2026-05-20T17:00:00.000Z',
      }),
    );
  });

  it('admits the landed file against its grant and the sanggah window, recording no region evidence', async () => {
    const key = 'submissions/iid-2026/18.01/objection-0123456789/bukti-baru.pdf';
    const grant = {
      cycleId: 'iid-2026',
      kode: '18.01',
      uploadId: 'objection-0123456789',
      kind: 'objection',
      key,
      fileName: 'bukti-baru.pdf',
      contentType: 'application/pdf',
      minBytes: 1,
      maxBytes: 100,
      grantedBy: 'operator-sub',
      grantedAt: '2026-05-15T02:55:00.000Z',
      expiresAt: '2026-05-15T03:05:00.000Z',
      windowEndsAt: '2026-05-20T17:00:00.000Z',
    };
    const evidence = {
      record: vi.fn(async () => ({ created: true })),
      recordNotAdmitted: vi.fn(async () => ({ created: true })),
    };
    const handler = (time: string) =>
      createIngestUpload({
        repos: fake({
          cycles: { get: vi.fn(async () => ({ ...CYCLE, status: 'ASSESSED' })) },
          grants: { get: vi.fn(async () => grant) },
          evidence,
          submissions: { createFromUpload: vi.fn() },
        }),
        sfn: fake({ send: vi.fn() }),
        log: fake({ info: vi.fn(), warn: vi.fn() }),
        stateMachineArn: 'arn:sm',
        bucket: 'uploads',
      })({
        source: 'aws.s3',
        'detail-type': 'Object Created',
        time,
        detail: { bucket: { name: 'uploads' }, object: { key, size: 10 } },
      });
    expect(await handler('2026-05-15T03:00:00Z')).toEqual({ outcome: 'objection-evidence', key });
    expect(await handler('2026-05-20T17:00:01Z')).toMatchObject({
      outcome: 'evidence-not-admitted',
      status: 'LATE',
      created: true,
    });
    // The late file is listed with its reason for admins; never recorded as region evidence.
    expect(evidence.recordNotAdmitted).toHaveBeenCalledWith(expect.objectContaining({ status: 'LATE' }));
    expect(evidence.record).not.toHaveBeenCalled();
  });
});

describe('validate-submission', () => {
  const objects = () => {
    const store = new ObjectStore(new S3Client({ region: 'ap-southeast-3' }), 'uploads');
    vi.spyOn(store, 'getBytes');
    vi.spyOn(store, 'put');
    return store;
  };
  const make = (get: () => Promise<SubmissionRecord | undefined>, over: Partial<ValidateDeps> = {}) =>
    createValidateSubmission({
      repos: fake({
        submissions: { get: vi.fn(get), transition: vi.fn() },
        cycles: { get: vi.fn(async () => CYCLE) },
        evidence: { listForRegion: vi.fn(async () => []) },
      }),
      objects: objects(),
      ...over,
    });

  it('a payload that breaks the contract, or names another bucket, is BadInput', async () => {
    const validate = make(async () => submission('UPLOADED'));
    await expect(validate({ ...payload, kode: 'x' })).rejects.toMatchObject({ name: 'BadInput' });
    await expect(validate({ ...payload, bucket: 'other' })).rejects.toMatchObject({ name: 'BadInput' });
    await expect(make(async () => undefined)(payload)).rejects.toMatchObject({ name: 'SubmissionNotFound' });
  });

  it('a dependency hiccup leaves as TransientError so the state machine retries', async () => {
    await expect(make(failing('ProvisionedThroughputExceededException', 400))(payload)).rejects.toMatchObject(
      {
        name: 'TransientError',
      },
    );
    await expect(make(failing('InternalError', 500))(payload)).rejects.toMatchObject({
      name: 'TransientError',
    });
  });

  it('a replay after the decision returns what was recorded, reading nothing', async () => {
    const store = objects();
    const validation = { reportKey: 'reports/iid-2026/18.01/s-1.json', errorCount: 0, warningCount: 2 };
    const validate = make(async () => submission('SCORED', { validation }), { objects: store });
    expect(await validate(payload)).toEqual({
      valid: true,
      status: 'ACCEPTED',
      reportKey: validation.reportKey,
      canonicalKey: 'reports/iid-2026/18.01/s-1.submission.json',
      errorCount: 0,
      warningCount: 2,
    });
    const rejected = make(async () =>
      submission('REJECTED', { validation: { ...validation, errorCount: 4 } }),
    );
    expect(await rejected(payload)).toMatchObject({ valid: false, status: 'REJECTED', errorCount: 4 });
    expect(store.getBytes).not.toHaveBeenCalled();
  });

  it('a decision counts the submission per cycle and times the validation (EMF), a replay does not', async () => {
    const store = objects();
    vi.mocked(store.getBytes).mockResolvedValue(Buffer.from('not,a,template\n'));
    vi.mocked(store.put).mockResolvedValue(undefined);
    vi.spyOn(store, 'putJson').mockResolvedValue(undefined);
    const transition = vi.fn(async (_ref: unknown, to: SubmissionRecord['status']) => ({
      outcome: 'applied',
      submission: submission(to),
    }));
    const validate = createValidateSubmission({
      repos: fake({
        submissions: { get: vi.fn(async () => submission('UPLOADED')), transition },
        cycles: {
          get: vi.fn(async () => ({
            ...CYCLE,
            methodology: { id: 'iid-2023', hash: getMethodology('iid-2023')?.hash },
          })),
        },
        evidence: { listForRegion: vi.fn(async () => []) },
      }),
      objects: store,
      // The ledger records the validation outcome first (its own tests are in test/integration/submissions).
      ledger: fake({ append: vi.fn(async () => ({})) }),
    });
    const lines = await consoleJson(() => validate(payload));
    expect(transition).toHaveBeenLastCalledWith(expect.anything(), 'REJECTED', expect.anything());
    const emf = emfOf(lines);
    expect(emf.map((m) => Object.keys(m).filter((k) => /^[A-Z]/.test(k)))).toEqual([
      ['ValidationTime'],
      ['SubmissionsRejected'],
    ]);
    expect(emf[0]).toMatchObject({ cycle: 'iid-2026', ValidationTime: expect.any(Number) });
    expect(emf[1]).toMatchObject({ cycle: 'iid-2026', SubmissionsRejected: 1 });

    const validation = { reportKey: 'reports/iid-2026/18.01/s-1.json', errorCount: 1, warningCount: 0 };
    const replay = make(async () => submission('REJECTED', { validation }));
    expect(emfOf(await consoleJson(() => replay(payload)))).toEqual([]);
  });

  it('a FAILED submission is not validated again', async () => {
    const transition = vi.fn(async () => ({ outcome: 'rejected', submission: submission('FAILED') }));
    const validate = createValidateSubmission({
      repos: fake({
        submissions: { get: vi.fn(async () => submission('FAILED')), transition },
        cycles: { get: vi.fn() },
        evidence: { listForRegion: vi.fn() },
      }),
      objects: objects(),
    });
    await expect(validate(payload)).rejects.toMatchObject({ name: 'StatusConflict' });
  });
});

describe('score-submission', () => {
  it('refuses a submission that was not accepted', async () => {
    const score = createScoreSubmission({
      repos: fake({ submissions: { get: vi.fn(async () => submission('REJECTED')) } }),
      objects: fake({}),
    } satisfies Partial<ScoreDeps>);
    await expect(score(payload)).rejects.toMatchObject({ name: 'NotAccepted' });
  });

  it('a replay of a scored submission returns its recorded card', async () => {
    const card = { traceKey: 'scorecards/iid-2026/18.01/s-1.json', indexValue: 47.05, predikat: 'Inovatif' };
    const score = createScoreSubmission({
      repos: fake({
        submissions: { get: vi.fn(async () => submission('SCORED')) },
        scoreCards: { get: vi.fn(async () => card) },
      }),
      objects: fake({}),
    });
    expect(await score(payload)).toEqual({
      status: 'SCORED',
      scoreCardKey: card.traceKey,
      indexValue: 47.05,
      display: '47.05',
      predikat: 'Inovatif',
      provisional: true,
    });
  });
});

describe('record-submission-failure', () => {
  const make = (outcome: string, status?: SubmissionRecord['status']) => {
    const transition = vi.fn(async () => ({
      outcome,
      ...(status ? { submission: submission(status) } : {}),
    }));
    const deps: Partial<RecordFailureDeps> = { repos: fake({ submissions: { transition } }) };
    return { transition, record: createRecordSubmissionFailure(deps) };
  };
  const state = {
    ...payload,
    validation: { valid: 'yes' },
    error: { Error: 'Indeks.BadValidationResult', Cause: 'x' },
  };

  it('marks FAILED with the reason from $.error', async () => {
    const { transition, record } = make('applied', 'FAILED');
    expect(await record(state)).toEqual({ recorded: true, outcome: 'applied', status: 'FAILED' });
    expect(transition).toHaveBeenCalledWith(
      { cycleId: 'iid-2026', kode: '18.01', submissionId: 's-1' },
      'FAILED',
      expect.objectContaining({
        patch: { failure: expect.objectContaining({ error: 'Indeks.BadValidationResult' }) },
      }),
    );
  });

  it('is idempotent and never fails the execution twice: replays, final submissions, unknown ones', async () => {
    expect(await make('unchanged', 'FAILED').record(state)).toMatchObject({
      recorded: false,
      status: 'FAILED',
    });
    expect(await make('rejected', 'SCORED').record(state)).toMatchObject({
      recorded: false,
      status: 'SCORED',
    });
    expect(await make('not-found').record(state)).toEqual({ recorded: false, outcome: 'not-found' });
  });

  it('a state without the submission identity is BadInput', async () => {
    await expect(make('applied').record({ error: {} })).rejects.toMatchObject({ name: 'BadInput' });
  });
});

describe('request-upload: input validation and error mapping', () => {
  const grantsRecorded = vi.fn(async () => {});
  const make = (cycle: CycleRecord | undefined, now = '2026-03-10T10:00:00+07:00') =>
    createRequestUpload({
      repos: fake({ cycles: { get: vi.fn(async () => cycle) }, grants: { record: grantsRecorded } }),
      s3: new S3Client({ region: 'ap-southeast-3', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
      bucket: 'uploads',
      now: () => new Date(now),
    } satisfies Partial<RequestUploadDeps>);
  const ask = (api: ReturnType<typeof make>, params: Record<string, string>, body: unknown) =>
    api(
      apiEvent('POST /cycles/{cycleId}/regions/{kode}/uploads', {
        params,
        body,
        groups: ['operator'],
        region: params.kode,
      }) as ApiEvent,
      ctx,
    );
  const body = {
    fileName: 'isian.xlsx',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    size: 5000,
    kind: 'data',
  };

  it('validates path and body with bilingual problems', async () => {
    const res = await ask(make(CYCLE), { cycleId: 'a/b', kode: '1801' }, { ...body, size: 1.5 });
    expect(res.statusCode).toBe(400);
    const problems = json(res.body).problems as {
      location: { path: string };
      message_id: string;
      message_en: string;
    }[];
    expect(problems.map((p) => p.location.path)).toEqual(['cycleId', 'kode', 'size']);
    expect(problems[1]?.message_id).toContain('kode wilayah Kemendagri');
  });

  it('maps the calendar to 409 and the upload policy refusal to 400 with its problems', async () => {
    const closed = await ask(
      make(CYCLE, '2026-04-02T00:00:00+07:00'),
      { cycleId: 'iid-2026', kode: '18.01' },
      body,
    );
    expect([closed.statusCode, json(closed.body).title]).toEqual([409, 'WINDOW_CLOSED']);
    const renamed = await ask(
      make(CYCLE),
      { cycleId: 'iid-2026', kode: '18.01' },
      { ...body, fileName: 'isian.csv' },
    );
    expect(json(renamed.body)).toMatchObject({ status: 400, problems: [{ code: 'CONTENT_TYPE_MISMATCH' }] });
    const ok = await ask(make(CYCLE), { cycleId: 'iid-2026', kode: '18.01' }, body);
    expect(ok.statusCode).toBe(200);
    expect(json(ok.body)).toMatchObject({ method: 'POST', kind: 'data', maxBytes: 10 * 1024 * 1024 });
    expect(json(ok.body).uploadId.startsWith('data-')).toBe(true);
  });

  it('records the grant (who, when, key, size range, expiry) and caps its expiry at the window end', async () => {
    grantsRecorded.mockClear();
    const ok = await ask(make(CYCLE), { cycleId: 'iid-2026', kode: '18.01' }, body);
    const issued = json(ok.body);
    expect(grantsRecorded).toHaveBeenCalledWith(
      expect.objectContaining({
        cycleId: 'iid-2026',
        kode: '18.01',
        uploadId: issued.uploadId,
        key: issued.key,
        minBytes: 1,
        maxBytes: 10 * 1024 * 1024,
        grantedAt: '2026-03-10T03:00:00.000Z',
        expiresAt: '2026-03-10T03:10:00.000Z',
        windowEndsAt: '2026-03-31T17:00:00.000Z',
      }),
    );
    // One minute before the deadline's minute ends: the grant lives 60 s, not the default 600 s.
    grantsRecorded.mockClear();
    const last = await ask(
      make(CYCLE, '2026-03-31T23:59:00+07:00'),
      { cycleId: 'iid-2026', kode: '18.01' },
      body,
    );
    expect(json(last.body).expiresAt).toBe('2026-03-31T17:00:00.000Z');
    expect(grantsRecorded).toHaveBeenCalledWith(
      expect.objectContaining({ expiresAt: '2026-03-31T17:00:00.000Z' }),
    );
    const policy = JSON.parse(Buffer.from(json(last.body).fields.Policy, 'base64').toString()) as {
      expiration: string;
    };
    expect(Date.parse(policy.expiration) - Date.now()).toBeLessThanOrEqual(60_000);
  });

  it('an unexpected failure is a 500 without internals', async () => {
    const api = createRequestUpload({
      repos: fake({ cycles: { get: failing('AccessDeniedException', 400) } }),
      s3: new S3Client({}),
      bucket: 'uploads',
    });
    const res = await ask(api, { cycleId: 'iid-2026', kode: '18.01' }, body);
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('AccessDenied');
  });
});

describe('api-submissions: input validation', () => {
  const api = createApiSubmissions({ repos: fake({}), objects: fake({}), presign: async () => '' });
  const call = (event: unknown) => api(event as ApiEvent, ctx);

  it('refuses out-of-range pages and malformed ids before touching the table', async () => {
    const list = await call(
      apiEvent('GET /cycles/{cycleId}/regions/{kode}/submissions', {
        params: { cycleId: 'iid-2026', kode: '18.01' },
        query: { limit: '500' },
        groups: ['admin'],
      }),
    );
    expect(list.statusCode).toBe(400);
    const one = await call(
      apiEvent('GET /cycles/{cycleId}/regions/{kode}/submissions/{submissionId}', {
        params: { cycleId: 'iid-2026', kode: '18.01', submissionId: 'a#b' },
        groups: ['admin'],
      }),
    );
    expect(one.statusCode).toBe(400);
  });

  it('an operator asking for another region gets 404 before anything is read', async () => {
    const res = await call(
      apiEvent('GET /cycles/{cycleId}/regions/{kode}/submissions', {
        params: { cycleId: 'iid-2026', kode: '18.02' },
        groups: ['operator'],
        region: '18.01',
      }),
    );
    expect(res.statusCode).toBe(404);
  });
});
