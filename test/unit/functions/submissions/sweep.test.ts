import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { CycleRecord, SubmissionRecord } from '#adapters/dynamo/index';
import type { ObjectInfo } from '#adapters/object-store';
import { createSweepSubmissions } from '#functions/sweep-submissions';
import type { ApiEvent } from '#http/api';
import { apiEvent } from '../../../support/api-event';

const fake = <T>(value: object): T => value as unknown as T;
const NOW = new Date('2026-03-01T01:00:00.000Z');
const KEY = (kode: string) => `submissions/iid-2026/${kode}/data-0123456789/isian.csv`;

const record = (kode: string, status: SubmissionRecord['status'], updatedAt: string): SubmissionRecord => ({
  cycleId: 'iid-2026',
  kode,
  provinsi: kode.slice(0, 2),
  submissionId: `s-${kode.replace('.', '')}`,
  status,
  history: [],
  object: { bucket: 'uploads', key: KEY(kode), etag: 'e' },
  uploadedAt: updatedAt,
  createdAt: updatedAt,
  updatedAt,
});

/** A table with submissions by status, executions by name, objects by key. */
function world(options: {
  executions?: Record<string, string>;
  objects?: string[];
  records?: SubmissionRecord[];
  /** What GetItem finds, when the indexes say otherwise (a store killed mid-write). */
  items?: Record<string, SubmissionRecord | undefined>;
}) {
  const records = options.records ?? [];
  const executions = new Map(Object.entries(options.executions ?? {}));
  const started: string[] = [];
  const failed: string[] = [];
  const ingested: string[] = [];
  const submissions = {
    listByStatus: vi.fn(async (_c: string, status: string) => ({
      items: records.filter((r) => r.status === status),
    })),
    get: vi.fn(async (ref: { submissionId: string }) =>
      options.items && ref.submissionId in options.items
        ? options.items[ref.submissionId]
        : records.find((r) => r.submissionId === ref.submissionId),
    ),
    transition: vi.fn(async (ref: { submissionId: string }, to: string) => {
      failed.push(`${ref.submissionId}:${to}`);
      return { outcome: 'applied' };
    }),
  };
  const sfn = {
    send: vi.fn(async (command: { input: { name?: string; executionArn?: string } }) => {
      const { name, executionArn } = command.input;
      if (executionArn) {
        const status = executions.get(executionArn.split(':').at(-1) ?? '');
        if (!status) throw Object.assign(new Error('nope'), { name: 'ExecutionDoesNotExist' });
        return { status };
      }
      if (executions.has(name ?? ''))
        throw Object.assign(new Error('exists'), { name: 'ExecutionAlreadyExists' });
      executions.set(name ?? '', 'RUNNING');
      started.push(name ?? '');
      return {};
    }),
  };
  const uploads = {
    bucket: 'uploads',
    async *list() {
      for (const key of options.objects ?? []) yield { key, size: 10 } satisfies ObjectInfo;
    },
    head: async (key: string): Promise<ObjectInfo> => ({ key, size: 10, etag: 'x', lastModified: NOW }),
  };
  const cycles = {
    get: vi.fn(async (id: string) =>
      id === 'iid-2026' ? fake<CycleRecord>({ cycleId: id, status: 'OPEN' }) : undefined,
    ),
    list: vi.fn(async () => ({ items: [fake<CycleRecord>({ cycleId: 'iid-2026', status: 'OPEN' })] })),
  };
  const handler = createSweepSubmissions({
    repos: fake({ cycles, submissions }),
    sfn: fake(sfn),
    stateMachineArn: 'arn:aws:states:r:1:stateMachine:Sub',
    uploads: fake(uploads),
    ingest: async (event) => {
      const e = event as { time: string; detail: { object: { key: string } } };
      ingested.push(`${e.detail.object.key}@${e.time}`);
    },
    now: () => NOW,
    log: { info: vi.fn(), warn: vi.fn() },
  });
  return { handler, started, failed, ingested };
}

const OLD = '2026-03-01T00:30:00.000Z';
const FRESH = '2026-03-01T00:55:00.000Z';

describe('sweep-submissions', () => {
  it('redrives a stuck submission whose execution closed under the next name, leaves running and fresh ones', async () => {
    const w = world({
      records: [
        record('18.01', 'VALIDATING', OLD), // execution ABORTED by a crash
        record('18.02', 'ACCEPTED', OLD), // execution still running
        record('18.03', 'UPLOADED', OLD), // never started (crash between record and start)
        record('18.04', 'UPLOADED', FRESH), // in flight, not stuck yet
        record('18.05', 'SCORED', OLD), // terminal
      ],
      executions: { 's-1801': 'ABORTED', 's-1802': 'RUNNING' },
      objects: [KEY('18.01'), KEY('18.02'), KEY('18.03'), KEY('18.04'), KEY('18.05')],
    });
    const out = (await w.handler({ source: 'sweeper' }, {} as Context)) as { reports: unknown[] };
    expect(out.reports).toEqual([
      {
        cycleId: 'iid-2026',
        stuckAfterMinutes: 15,
        unrecorded: [],
        submissions: [
          { kode: '18.03', submissionId: 's-1803', status: 'UPLOADED', outcome: 'redriven' },
          { kode: '18.01', submissionId: 's-1801', status: 'VALIDATING', outcome: 'redriven' },
          { kode: '18.02', submissionId: 's-1802', status: 'ACCEPTED', outcome: 'running' },
        ],
      },
    ]);
    expect(w.started.sort()).toEqual(['s-1801-2', 's-1803']);
    // Idempotent: the next sweep starts nothing new (those executions run now).
    await w.handler({ source: 'sweeper' }, {} as Context);
    expect(w.started.sort()).toEqual(['s-1801-2', 's-1803']);
  });

  it('marks FAILED after 5 closed executions, and ingests objects that have no submission', async () => {
    const w = world({
      records: [record('18.01', 'VALIDATING', OLD)],
      executions: {
        's-1801': 'ABORTED',
        's-1801-2': 'FAILED',
        's-1801-3': 'ABORTED',
        's-1801-4': 'TIMED_OUT',
        's-1801-5': 'ABORTED',
      },
      objects: [KEY('18.01'), KEY('18.09'), 'submissions/iid-2026/18.09/evidence-0123456789/perda.pdf'],
    });
    const out = (await w.handler({ source: 'sweeper', cycleId: 'iid-2026' }, {} as Context)) as {
      reports: { submissions: { outcome: string }[]; unrecorded: unknown[] }[];
    };
    expect(out.reports[0]?.submissions).toEqual([expect.objectContaining({ outcome: 'failed' })]);
    expect(w.failed).toEqual(['s-1801:FAILED']);
    expect(out.reports[0]?.unrecorded).toEqual([{ key: KEY('18.09'), kode: '18.09' }]);
    expect(w.ingested).toEqual([`${KEY('18.09')}@${NOW.toISOString()}`]);
  });

  it('an index entry whose item is gone is recorded again with its upload time; a stale one is left alone', async () => {
    const w = world({
      records: [record('18.01', 'UPLOADED', OLD), record('18.02', 'UPLOADED', OLD)],
      items: { 's-1801': undefined, 's-1802': record('18.02', 'SCORED', FRESH) },
      objects: [KEY('18.01'), KEY('18.02')],
    });
    const out = (await w.handler({ source: 'sweeper' }, {} as Context)) as {
      reports: { submissions: unknown[]; unrecorded: unknown[] }[];
    };
    expect(out.reports[0]?.submissions).toEqual([]);
    expect(out.reports[0]?.unrecorded).toEqual([{ key: KEY('18.01'), kode: '18.01' }]);
    expect(w.ingested).toEqual([`${KEY('18.01')}@${OLD}`]);
    expect(w.started).toEqual([]);
  });

  describe('POST /cycles/{cycleId}/submissions/redrive', () => {
    const ROUTE = 'POST /cycles/{cycleId}/submissions/redrive';
    const call = async (groups: string[], cycleId = 'iid-2026', body: unknown = {}, region?: string) => {
      const w = world({ records: [record('18.03', 'UPLOADED', OLD)] });
      const res = (await w.handler(
        apiEvent(ROUTE, { params: { cycleId }, body, groups, ...(region ? { region } : {}) }) as ApiEvent,
        {} as Context,
      )) as { statusCode: number; body: string };
      return { status: res.statusCode, body: JSON.parse(res.body), started: w.started };
    };

    it('is for admins only: operator, assessor and leadership get 403 and start nothing', async () => {
      for (const [groups, region] of [[['operator'], '18.03'], [['assessor']], [['leadership']]] as const) {
        const res = await call([...groups], 'iid-2026', {}, region);
        expect(res.status, groups.join()).toBe(403);
        expect(res.started).toEqual([]);
      }
      expect((await call([])).status).toBe(403);
    });

    it('sweeps the cycle for an admin, with the threshold given; 404 for an unknown cycle, 400 for a bad body', async () => {
      const ok = await call(['admin'], 'iid-2026', { stuckAfterMinutes: 0 });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        cycleId: 'iid-2026',
        stuckAfterMinutes: 0,
        submissions: [{ kode: '18.03', outcome: 'redriven' }],
      });
      expect(ok.started).toEqual(['s-1803']);
      expect((await call(['admin'], 'nope')).status).toBe(404);
      const bad = await call(['admin'], 'iid-2026', { stuckAfterMinutes: -1 });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ title: 'INVALID_REQUEST' });
    });
  });
});
