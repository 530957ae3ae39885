import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { validate } from '@readme/openapi-parser';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RegionResultRecord } from '#adapters/dynamo/index';
import { ledgerExportKey } from '#adapters/ledger-export';
import { type LedgerEntry, parseJsonl, verifyChain } from '#domain/ledger/index';
import { getMethodology } from '#domain/methodology/registry';
import { handler } from '#functions/api-cycles';
import { apiEvent } from '../../support/api-event';
import { CALENDAR as CALENDAR_FALLBACK, type NationalHarness, startNationalHarness } from './harness';

const ENV = {
  SCHEDULE_GROUP: 'indeks-cycles',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/scheduler',
  CYCLE_TRANSITION_FUNCTION_ARN: 'arn:aws:lambda:ap-southeast-3:000000000000:function:cycle-transition',
  SCHEDULER_DLQ_ARN: 'arn:aws:sqs:ap-southeast-3:000000000000:dead-letters',
  NATIONAL_STATE_MACHINE_ARN: 'arn:aws:states:ap-southeast-3:000000000000:stateMachine:National',
};

const scheduler = mockClient(SchedulerClient);
const sfn = mockClient(SFNClient);
/** The schedule group as Scheduler holds it (name → last create/update input). */
const schedules = new Map<string, CreateScheduleCommandInput>();
const executions: string[] = [];

let h: NationalHarness;
beforeAll(async () => {
  h = await startNationalHarness(ENV, 'indeks-api-cycles');
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-02-01T00:00:00Z'));
});
afterAll(async () => {
  vi.useRealTimers();
  scheduler.restore();
  sfn.restore();
  await h?.close();
});
beforeEach(() => {
  scheduler.reset();
  sfn.reset();
  scheduler.on(CreateScheduleCommand).callsFake((input: CreateScheduleCommandInput) => {
    if (schedules.has(input.Name ?? ''))
      throw new ConflictException({
        message: `Schedule ${input.Name} already exists.`,
        Message: 'exists',
        $metadata: {},
      });
    schedules.set(input.Name ?? '', input);
    return { ScheduleArn: `arn:schedule/${input.Name}` };
  });
  scheduler.on(UpdateScheduleCommand).callsFake((input: CreateScheduleCommandInput) => {
    if (!schedules.has(input.Name ?? ''))
      throw new ResourceNotFoundException({ message: 'not found', Message: 'not found', $metadata: {} });
    schedules.set(input.Name ?? '', input);
    return { ScheduleArn: `arn:schedule/${input.Name}` };
  });
  scheduler.on(DeleteScheduleCommand).callsFake((input: { Name?: string }) => {
    if (!schedules.delete(input.Name ?? ''))
      throw new ResourceNotFoundException({ message: 'not found', Message: 'not found', $metadata: {} });
    return {};
  });
  sfn.on(StartExecutionCommand).callsFake((input: { name?: string }) => {
    if (executions.includes(input.name ?? ''))
      throw new ExecutionAlreadyExists({ message: 'exists', $metadata: {} });
    executions.push(input.name ?? '');
    return { executionArn: `arn:execution:${input.name}`, startDate: new Date() };
  });
  // Every started execution is still running (a run that ended is reconciled in cycle-transition.test.ts).
  sfn.on(DescribeExecutionCommand).callsFake((input: { executionArn?: string }) => {
    const name = input.executionArn?.split(':').at(-1) ?? '';
    if (!executions.includes(name))
      throw new ExecutionDoesNotExist({ message: 'does not exist', $metadata: {} });
    return { executionArn: input.executionArn, name, status: 'RUNNING' };
  });
});

type Options = Parameters<typeof apiEvent>[1];
const call = async (routeKey: string, options: Options = {}) => {
  const res = await handler(apiEvent(routeKey, options), {} as Context);
  const contentType = String(res.headers?.['content-type'] ?? '');
  const body: unknown =
    res.body && contentType.includes('json') && !contentType.includes('ndjson')
      ? JSON.parse(res.body)
      : (res.body ?? undefined);
  return {
    status: res.statusCode,
    headers: res.headers ?? {},
    body: body as Record<string, unknown>,
    raw: res,
  };
};
const ADMIN = { groups: ['admin'], sub: 'admin-1' };
const OPERATOR_18_01 = { groups: ['operator'], region: '18.01', sub: 'op-1' };
const ASSESSOR = { groups: ['assessor'], sub: 'as-1' };
const LEADERSHIP = { groups: ['leadership'], sub: 'le-1' };
const NO_ROLE = { groups: [], sub: 'nobody' };

const calendar = {
  opensAt: '2026-03-01',
  closesAt: '2026-03-31',
  graceMinutes: 30,
  nationalRunAt: '2026-04-02T01:00:00+07:00',
  publishAt: '2026-05-01',
};
const create = (cycleId: string, over: Record<string, unknown> = {}) =>
  call('POST /cycles', { ...ADMIN, body: { cycleId, methodologyId: 'iid-2026', calendar, ...over } });
const getCycle = async (cycleId: string, who: Options = ADMIN) =>
  (await call('GET /cycles/{cycleId}', { ...who, params: { cycleId } })).body as {
    version: number;
    status: string;
    calendar: Record<string, unknown>;
    runs: { runId: string; status: string }[];
    currentRunId?: string;
  };

describe('POST /cycles', () => {
  it('creates a cycle of a shipped methodology, its calendar in WIB, and schedules every transition', async () => {
    const res = await create('iid-2026');
    expect(res.status).toBe(201);
    const m = getMethodology('iid-2026');
    expect(res.body.cycle).toMatchObject({
      cycleId: 'iid-2026',
      index: 'IID',
      status: 'DRAFT',
      version: 1,
      methodology: { id: 'iid-2026', hash: m?.hash },
      calendar: {
        timeZone: 'Asia/Jakarta',
        opensAt: '2026-03-01T00:00:00+07:00',
        closesAt: '2026-03-31T23:59:00+07:00',
        effectiveDeadline: '2026-03-31T23:59:00+07:00',
        effectiveDeadlineWib: '31-03-2026 23:59 WIB',
        nationalRunAt: '2026-04-02T01:00:00+07:00',
        publishAt: '2026-05-01T00:00:00+07:00',
        window: 'not-open',
      },
      nextTransitionAt: '2026-02-28T17:00:00.000Z',
    });
    expect([...schedules.keys()]).toEqual(['iid-2026.open', 'iid-2026.close', 'iid-2026.assess']);
    expect(schedules.get('iid-2026.close')).toMatchObject({
      GroupName: 'indeks-cycles',
      // 23:59 WIB + the whole minute + 30 minutes of grace.
      ScheduleExpression: 'at(2026-04-01T00:30:00)',
      ScheduleExpressionTimezone: 'Asia/Jakarta',
      ActionAfterCompletion: 'DELETE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: ENV.CYCLE_TRANSITION_FUNCTION_ARN,
        RoleArn: ENV.SCHEDULER_ROLE_ARN,
        DeadLetterConfig: { Arn: ENV.SCHEDULER_DLQ_ARN },
        Input: JSON.stringify({ cycleId: 'iid-2026', transition: 'close', source: 'schedule' }),
      },
    });
    expect(schedules.get('iid-2026.open')?.ScheduleExpression).toBe('at(2026-03-01T00:00:00)');
    expect(schedules.get('iid-2026.assess')?.ScheduleExpression).toBe('at(2026-04-02T01:00:00)');
  });

  it('refuses a taken id, an unknown methodology, bad dates and an inconsistent calendar', async () => {
    const taken = await create('iid-2026');
    expect(taken).toMatchObject({ status: 409, body: { title: 'CYCLE_EXISTS' } });
    const unknown = await create('x-2026', { methodologyId: 'iid-1999' });
    expect(unknown).toMatchObject({ status: 400, body: { title: 'METHODOLOGY_UNKNOWN' } });
    expect(String(unknown.body.detail_id)).toContain('iid-2026');
    const badDate = await create('x-2026', { calendar: { ...calendar, closesAt: '31-03-2026' } });
    expect(badDate).toMatchObject({ status: 400, body: { title: 'INVALID_REQUEST' } });
    const inconsistent = await create('x-2026', {
      calendar: { ...calendar, closesAt: '2026-02-15', nationalRunAt: '2026-02-10' },
    });
    expect(inconsistent).toMatchObject({ status: 400, body: { title: 'CALENDAR_INVALID' } });
    const paths = (inconsistent.body.problems as { location: { path: string } }[]).map(
      (p) => p.location.path,
    );
    expect(paths).toEqual(['calendar.closesAt', 'calendar.nationalRunAt']);
    const badId = await create('IID 2026!');
    expect(badId.status).toBe(400);
    expect(await h.table.repos.cycles.get('x-2026')).toBeUndefined();
  });

  it('keeps the data when Scheduler fails, and says so', async () => {
    scheduler.on(CreateScheduleCommand).rejects(new Error('Scheduler is down'));
    const res = await create('ikkd-2020', { methodologyId: 'ikkd-2020' });
    expect(res.status).toBe(201);
    expect(res.body.scheduleWarning).toMatchObject({ en: expect.stringContaining('every 15 minutes') });
    expect((await h.table.repos.cycles.get('ikkd-2020'))?.nextTransitionAt).toBe('2026-02-28T17:00:00.000Z');
  });
});

describe('roles, route by route', () => {
  const cases: [string, string, number, Options, Options][] = [
    ['GET /cycles', 'operator 18.01', 200, {}, OPERATOR_18_01],
    ['GET /cycles', 'no role', 403, {}, NO_ROLE],
    ['GET /cycles/{cycleId}', 'operator 18.01', 200, { params: { cycleId: 'iid-2026' } }, OPERATOR_18_01],
    ['GET /cycles/{cycleId}', 'no role', 403, { params: { cycleId: 'iid-2026' } }, NO_ROLE],
    [
      'POST /cycles',
      'operator 18.01',
      403,
      { body: { methodologyId: 'iid-2023', calendar } },
      OPERATOR_18_01,
    ],
    ['POST /cycles', 'assessor', 403, { body: { methodologyId: 'iid-2023', calendar } }, ASSESSOR],
    ['POST /cycles', 'leadership', 403, { body: { methodologyId: 'iid-2023', calendar } }, LEADERSHIP],
    [
      'PUT /cycles/{cycleId}/calendar',
      'operator 18.01',
      403,
      { params: { cycleId: 'iid-2026' }, body: { version: 1, graceMinutes: 0 } },
      OPERATOR_18_01,
    ],
    [
      'PUT /cycles/{cycleId}/calendar',
      'assessor',
      403,
      { params: { cycleId: 'iid-2026' }, body: { version: 1, graceMinutes: 0 } },
      ASSESSOR,
    ],
    [
      'POST /cycles/{cycleId}/runs',
      'assessor',
      403,
      { params: { cycleId: 'iid-2026' }, body: { reason: 'ulang' } },
      ASSESSOR,
    ],
    [
      'POST /cycles/{cycleId}/runs/{runId}/publish',
      'leadership',
      403,
      { params: { cycleId: 'iid-2026', runId: 'iid-2026-r1' } },
      LEADERSHIP,
    ],
    [
      'POST /cycles/{cycleId}/runs/{runId}/publish',
      'operator 18.01',
      403,
      { params: { cycleId: 'iid-2026', runId: 'iid-2026-r1' } },
      OPERATOR_18_01,
    ],
    ['GET /cycles/{cycleId}/template', 'no role', 403, { params: { cycleId: 'iid-2026' } }, NO_ROLE],
    ['GET /cycles/{cycleId}/ledger', 'admin', 200, { params: { cycleId: 'iid-2026' } }, ADMIN],
    ['GET /cycles/{cycleId}/ledger', 'leadership', 200, { params: { cycleId: 'iid-2026' } }, LEADERSHIP],
    ['GET /cycles/{cycleId}/ledger', 'assessor', 403, { params: { cycleId: 'iid-2026' } }, ASSESSOR],
    [
      'GET /cycles/{cycleId}/ledger',
      'operator 18.01',
      403,
      { params: { cycleId: 'iid-2026' } },
      OPERATOR_18_01,
    ],
    ['GET /cycles/{cycleId}/ledger', 'no role', 403, { params: { cycleId: 'iid-2026' } }, NO_ROLE],
    [
      'GET /cycles/{cycleId}/ledger',
      'admin (unknown cycle)',
      404,
      { params: { cycleId: 'nope-2026' } },
      ADMIN,
    ],
  ];
  it.each(cases)('%s as %s → %i', async (routeKey, _who, status, options, who) => {
    expect((await call(routeKey, { ...options, ...who })).status).toBe(status);
  });

  it('GET /cycles/{cycleId}/ledger: the chain from cycle.created and methodology.bound, as JSON or JSON Lines', async () => {
    const res = await call('GET /cycles/{cycleId}/ledger', {
      ...LEADERSHIP,
      params: { cycleId: 'iid-2026' },
    });
    const body = res.body as { count: number; head: { seq: number; hash: string }; entries: LedgerEntry[] };
    expect(body.entries.slice(0, 2).map((e) => [e.seq, e.action, e.actor])).toEqual([
      [1, 'cycle.created', { sub: 'admin-1', role: 'admin' }],
      [2, 'methodology.bound', { sub: 'admin-1', role: 'admin' }],
    ]);
    expect(body.entries[1]?.after).toEqual({ id: 'iid-2026', hash: getMethodology('iid-2026')?.hash });
    expect(verifyChain(body.entries)).toEqual({ intact: true, count: body.count, head: body.head });
    const jsonl = await call('GET /cycles/{cycleId}/ledger', {
      ...ADMIN,
      params: { cycleId: 'iid-2026' },
      query: { format: 'jsonl' },
    });
    expect(jsonl.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(verifyChain(parseJsonl(String(jsonl.raw.body)))).toEqual(verifyChain(body.entries));
  });

  it('answers 401 without a token, except on the public routes', async () => {
    expect((await call('GET /cycles')).status).toBe(401);
    expect((await call('GET /health')).status).toBe(200);
    expect((await call('GET /openapi.json')).status).toBe(200);
  });
});

describe('PUT /cycles/{cycleId}/calendar', () => {
  it('extends the deadline (a data change), bumps the version and reschedules the close', async () => {
    vi.setSystemTime(new Date('2026-03-20T00:00:00Z'));
    await h.table.repos.cycles.transition('iid-2026', 'OPEN', { nextTransitionAt: '2026-03-31T17:30:00Z' });
    const before = await getCycle('iid-2026');
    const res = await call('PUT /cycles/{cycleId}/calendar', {
      ...ADMIN,
      params: { cycleId: 'iid-2026' },
      body: {
        version: before.version,
        extension: { until: '2026-04-01', reason: 'Gangguan jaringan nasional' },
      },
    });
    expect(res.status).toBe(200);
    const cycle = res.body.cycle as {
      version: number;
      calendar: Record<string, unknown>;
      nextTransitionAt: string;
    };
    expect(cycle.version).toBe(before.version + 1);
    expect(cycle.calendar).toMatchObject({
      effectiveDeadline: '2026-04-01T23:59:00+07:00',
      extensions: [
        {
          until: '2026-04-01T23:59:00+07:00',
          reason: 'Gangguan jaringan nasional',
          decidedBy: 'admin-1',
          decidedAt: '2026-03-20T00:00:00.000Z',
        },
      ],
    });
    expect(cycle.nextTransitionAt).toBe('2026-04-01T17:30:00.000Z');
    expect(schedules.get('iid-2026.close')?.ScheduleExpression).toBe('at(2026-04-02T00:30:00)');
    // The run moved with the window: 01:00 WIB is before the extended window (and grace) ends.
    expect(schedules.get('iid-2026.assess')?.ScheduleExpression).toBe('at(2026-04-02T01:00:00)');
    expect(scheduler.commandCalls(UpdateScheduleCommand).map((c) => c.args[0].input.Name)).toContain(
      'iid-2026.close',
    );
    // The open transition is behind: its schedule is removed (gone already: not an error).
    expect(schedules.has('iid-2026.open')).toBe(false);
  });

  it('answers 409 on a stale version, and nothing changes', async () => {
    const current = await getCycle('iid-2026');
    const res = await call('PUT /cycles/{cycleId}/calendar', {
      ...ADMIN,
      params: { cycleId: 'iid-2026' },
      body: { version: current.version - 1, graceMinutes: 0 },
    });
    expect(res).toMatchObject({ status: 409, body: { title: 'STALE_VERSION' } });
    expect(String(res.body.detail_id)).toContain(`versi sekarang ${current.version}`);
    expect((await getCycle('iid-2026')).version).toBe(current.version);
  });

  it('refuses an extension that does not move the deadline later, and frozen fields', async () => {
    const { version } = await getCycle('iid-2026');
    const earlier = await call('PUT /cycles/{cycleId}/calendar', {
      ...ADMIN,
      params: { cycleId: 'iid-2026' },
      body: { version, extension: { until: '2026-03-25', reason: 'salah ketik' } },
    });
    expect(earlier).toMatchObject({ status: 400, body: { title: 'EXTENSION_INVALID' } });
    expect(String(earlier.body.detail_id)).toContain('01-04-2026 23:59 WIB');
    const afterRun = await call('PUT /cycles/{cycleId}/calendar', {
      ...ADMIN,
      params: { cycleId: 'iid-2026' },
      body: { version, extension: { until: '2026-04-10', reason: 'perpanjangan kedua' } },
    });
    expect(afterRun).toMatchObject({ status: 400, body: { title: 'EXTENSION_INVALID' } });
    const closesAt = await call('PUT /cycles/{cycleId}/calendar', {
      ...ADMIN,
      params: { cycleId: 'iid-2026' },
      body: { version, closesAt: '2026-04-05' },
    });
    expect(closesAt).toMatchObject({ status: 409, body: { title: 'CALENDAR_FIELD_FROZEN' } });
  });

  it('moving the run and extending again after the window closed reopens it', async () => {
    vi.setSystemTime(new Date('2026-04-01T18:00:00Z')); // 02-04 01:00 WIB: the extended window closed
    await h.table.repos.cycles.transition('iid-2026', 'CLOSED', { nextTransitionAt: '2026-04-01T18:00:00Z' });
    const { version } = await getCycle('iid-2026');
    const res = await call('PUT /cycles/{cycleId}/calendar', {
      ...ADMIN,
      params: { cycleId: 'iid-2026' },
      body: {
        version,
        nationalRunAt: '2026-04-10T01:00:00+07:00',
        extension: { until: '2026-04-05', reason: 'Banjir di beberapa provinsi' },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.cycle).toMatchObject({
      status: 'OPEN',
      calendar: { window: 'open', effectiveDeadline: '2026-04-05T23:59:00+07:00' },
      nextTransitionAt: '2026-04-05T17:30:00.000Z',
    });
    expect((await getCycle('iid-2026')).status).toBe('OPEN');
  });

  it('is frozen once the national run started', async () => {
    await h.table.repos.cycles.transition('iid-2026', 'CLOSED');
    await h.table.repos.cycles.transition('iid-2026', 'ASSESSING', { currentRunId: 'iid-2026-r1' });
    const { version } = await getCycle('iid-2026');
    const res = await call('PUT /cycles/{cycleId}/calendar', {
      ...ADMIN,
      params: { cycleId: 'iid-2026' },
      body: { version, graceMinutes: 60 },
    });
    expect(res).toMatchObject({ status: 409, body: { title: 'CALENDAR_FROZEN' } });
  });
});

describe('runs: re-run and FINAL publication', () => {
  const m = getMethodology('iid-2026');
  const ref = { id: 'iid-2026', hash: m?.hash ?? '' };
  async function provisionalRun(runId: string, failed = 0) {
    await h.table.repos.runs.create({
      cycleId: 'iid-2026',
      runId,
      methodology: ref,
      trigger: 'calendar',
      startedAt: new Date().toISOString(),
      manifestKey: `runs/iid-2026/${runId}/manifest.json`,
      regionCount: 3,
    });
    await h.table.repos.runs.recordResults('iid-2026', runId, {
      resultKey: `runs/iid-2026/${runId}/results.json`,
      counts: { regions: 552, scored: 3 - failed, failed, ineligible: 0, ranked: 3 - failed },
    });
    await h.table.repos.rankings.putRegionResults(
      ['18.01', '18.02', '18.71'].map(
        (kode, i): RegionResultRecord => ({
          cycleId: 'iid-2026',
          runId,
          kode,
          provinsi: '18',
          score: 50 - i,
          predikat: 'Inovatif',
          eligible: true,
          ranks: { [kode === '18.71' ? 'kota' : 'kabupaten']: i + 1 },
          clusters: [kode === '18.71' ? 'kota' : 'kabupaten'],
          methodology: ref,
        }),
      ),
    );
    await h.table.repos.runs.transition('iid-2026', runId, 'PROVISIONAL');
  }

  const rerun = () =>
    call('POST /cycles/{cycleId}/runs', {
      ...ADMIN,
      params: { cycleId: 'iid-2026' },
      body: { reason: 'Data BPS diperbarui' },
    });
  const publish = (runId: string, who: Options = ADMIN) =>
    call('POST /cycles/{cycleId}/runs/{runId}/publish', { ...who, params: { cycleId: 'iid-2026', runId } });
  /** What mark-run-provisional does at the end of a run. */
  const assessed = () => h.table.repos.cycles.transition('iid-2026', 'ASSESSED', { from: ['ASSESSING'] });

  it('completes a start lost between the status change and StartExecution, then refuses a second run', async () => {
    // The cycle is ASSESSING with r1 but no run record: its execution never started.
    const first = await rerun();
    expect(first).toMatchObject({
      status: 202,
      body: { cycleId: 'iid-2026', runId: 'iid-2026-r1', status: 'STARTING' },
    });
    expect(executions).toEqual(['iid-2026-r1']);
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toMatchObject({
      stateMachineArn: ENV.NATIONAL_STATE_MACHINE_ARN,
      name: 'iid-2026-r1',
      input: JSON.stringify({ cycleId: 'iid-2026', trigger: 'manual', requestedBy: 'admin-1' }),
    });
    const second = await rerun();
    expect(second).toMatchObject({ status: 409, body: { title: 'RUN_IN_PROGRESS' } });
    expect(executions).toEqual(['iid-2026-r1']);
  });

  it('re-runs an assessed cycle under a new run id; earlier runs stay', async () => {
    await provisionalRun('iid-2026-r1');
    await assessed();
    const res = await rerun();
    expect(res).toMatchObject({ status: 202, body: { runId: 'iid-2026-r2' } });
    expect(executions).toEqual(['iid-2026-r1', 'iid-2026-r2']);
    const cycle = await getCycle('iid-2026');
    expect(cycle).toMatchObject({ status: 'ASSESSING', currentRunId: 'iid-2026-r2' });
    expect(cycle.runs.map((r) => [r.runId, r.status])).toEqual([['iid-2026-r1', 'PROVISIONAL']]);
    // Only the cycle's current run can become FINAL.
    expect(await publish('iid-2026-r1')).toMatchObject({ status: 409, body: { title: 'NOT_CURRENT_RUN' } });
  });

  it('a failed run can be re-run; an incomplete run cannot be published', async () => {
    await h.table.repos.runs.create({
      cycleId: 'iid-2026',
      runId: 'iid-2026-r2',
      methodology: ref,
      trigger: 'manual',
      startedAt: new Date().toISOString(),
      manifestKey: 'runs/iid-2026/iid-2026-r2/manifest.json',
      regionCount: 3,
    });
    await h.table.repos.runs.transition('iid-2026', 'iid-2026-r2', 'FAILED', { failure: { error: 'Boom' } });
    expect(await publish('iid-2026-r2')).toMatchObject({
      status: 409,
      body: { title: 'RUN_NOT_PROVISIONAL' },
    });
    const res = await rerun();
    expect(res).toMatchObject({ status: 202, body: { runId: 'iid-2026-r3' } });
    const history = (await h.table.repos.cycles.get('iid-2026'))?.statusHistory.map((s) => s.status);
    expect(history?.slice(-3)).toEqual(['ASSESSING', 'CLOSED', 'ASSESSING']);
    await provisionalRun('iid-2026-r3', 1);
    await assessed();
    expect(await publish('iid-2026-r3')).toMatchObject({ status: 409, body: { title: 'RUN_INCOMPLETE' } });
  });

  it('publishes the current complete run FINAL: history FINAL, cycle PUBLISHED; a replay is harmless', async () => {
    expect((await rerun()).body).toMatchObject({ runId: 'iid-2026-r4' });
    await provisionalRun('iid-2026-r4');
    await assessed();
    // The ledger export signs real S3 requests: the local S3 refuses a faked clock (RequestTimeTooSkewed).
    const faked = Date.now();
    vi.useRealTimers();
    const res = await publish('iid-2026-r4');
    const again = await publish('iid-2026-r4');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(faked);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      run: { runId: 'iid-2026-r4', status: 'FINAL', finalizedBy: 'admin-1' },
      cycle: { status: 'PUBLISHED' },
      historyRecorded: 3,
    });
    // The FINAL publication is the ledger's head, stored on the run and exported under its seq.
    const entries = await h.table.repos.ledger.list('iid-2026');
    const last = entries.at(-1);
    expect(last).toMatchObject({
      action: 'run.final',
      subject: { run: 'iid-2026-r4' },
      actor: { role: 'admin' },
    });
    const run = await h.table.repos.runs.get('iid-2026', 'iid-2026-r4');
    expect(run?.ledgerHead).toEqual({ seq: last?.seq, hash: last?.hash });
    const exported = await h.s3.send(
      new GetObjectCommand({
        Bucket: String(process.env.LEDGER_BUCKET),
        Key: ledgerExportKey('iid-2026', last?.seq ?? 0),
      }),
    );
    const jsonl = await exported.Body?.transformToString();
    expect(verifyChain(parseJsonl(jsonl ?? ''))).toEqual({
      intact: true,
      count: entries.length,
      head: run?.ledgerHead,
    });
    const history = await h.table.repos.history.list('18.01', { index: 'IID' });
    expect(history.items.map((e) => [e.runId, e.runStatus, e.ranks])).toEqual([
      ['iid-2026-r4', 'FINAL', { kabupaten: 1 }],
    ]);
    expect(again).toMatchObject({
      status: 200,
      body: { historyRecorded: 3, cycle: { status: 'PUBLISHED' } },
    });
    expect(await rerun()).toMatchObject({ status: 409, body: { title: 'ALREADY_PUBLISHED' } });
  });

  it('shows operators FINAL runs only, the ministry every run', async () => {
    const operator = await getCycle('iid-2026', OPERATOR_18_01);
    expect(operator.runs.map((r) => r.runId)).toEqual(['iid-2026-r4']);
    expect(operator.currentRunId).toBeUndefined();
    const assessor = await getCycle('iid-2026', ASSESSOR);
    expect(assessor.runs.map((r) => [r.runId, r.status])).toEqual([
      ['iid-2026-r4', 'FINAL'],
      ['iid-2026-r3', 'PROVISIONAL'],
      ['iid-2026-r2', 'FAILED'],
      ['iid-2026-r1', 'PROVISIONAL'],
    ]);
  });
});

describe('GET /cycles/{cycleId}/template', () => {
  const template = (who: Options, region?: string) =>
    call('GET /cycles/{cycleId}/template', {
      ...who,
      params: { cycleId: 'ikkd-2020' },
      ...(region ? { query: { region } } : {}),
    });

  it("gives an operator its own region's XLSX (by default), nobody else's", async () => {
    const own = await template(OPERATOR_18_01);
    expect(own.status).toBe(200);
    expect(own.headers['content-type']).toContain('spreadsheetml');
    expect(own.headers['content-disposition']).toBe('attachment; filename="templat-ikkd-2020-18.01.xlsx"');
    expect(own.raw.isBase64Encoded).toBe(true);
    const bytes = Buffer.from(String(own.raw.body), 'base64');
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const firstSheet = wb.worksheets[0];
    expect(String(firstSheet?.getCell(2, 1).value)).toContain('18.01');
    expect((await template(OPERATOR_18_01, '18.01')).status).toBe(200);
    expect(await template(OPERATOR_18_01, '18.02')).toMatchObject({
      status: 404,
      body: { title: 'NOT_FOUND' },
    });
  });

  it('lets the ministry download any region, and names what is missing', async () => {
    expect((await template(ADMIN, '18.02')).status).toBe(200);
    expect(await template(ADMIN)).toMatchObject({ status: 400, body: { title: 'REGION_REQUIRED' } });
    expect((await template(ADMIN, '18.99')).status).toBe(404);
    expect((await template(ADMIN, '18.1')).status).toBe(400);
    const missing = await call('GET /cycles/{cycleId}/template', {
      ...ADMIN,
      params: { cycleId: 'nope' },
      query: { region: '18.01' },
    });
    expect(missing.status).toBe(404);
  });

  it('refuses a cycle whose methodology changed since it was created', async () => {
    await h.table.repos.cycles.create({
      cycleId: 'iid-old',
      index: 'IID',
      period: 2023,
      name: 'IID lama',
      calendar: (await h.table.repos.cycles.get('ikkd-2020'))?.calendar ?? CALENDAR_FALLBACK,
      methodology: { id: 'iid-2023', hash: 'sha256:older' },
    });
    const res = await call('GET /cycles/{cycleId}/template', {
      ...ADMIN,
      params: { cycleId: 'iid-old' },
      query: { region: '18.01' },
    });
    expect(res).toMatchObject({ status: 409, body: { title: 'METHODOLOGY_CHANGED' } });
  });
});

describe('GET /openapi.json and GET /health', () => {
  it('serves a valid OpenAPI 3.1 document of every route of the API', async () => {
    const res = await call('GET /openapi.json');
    expect(res.headers.etag).toBeDefined();
    const doc = res.body as {
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc) as Parameters<typeof validate>[0]);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const { ROUTES } = await import('#infra/constructs/api');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const routed = ROUTES.map((r) => `${r.method} ${r.path}`);
    // Every route of the stack is documented, and nothing is documented that is not routed.
    expect(documented.filter((r) => !routed.includes(r))).toEqual([]);
    expect(routed.filter((r) => !documented.includes(r))).toEqual([]);
    expect(doc.paths['/health']?.get?.security).toEqual([]);
    const put = JSON.stringify(doc.paths['/cycles/{cycleId}/calendar']);
    expect(put).toContain('"version"');
  });

  it('answers health publicly', async () => {
    const res = await call('GET /health');
    expect(res.body).toMatchObject({ status: 'ok', methodologies: expect.arrayContaining(['iid-2026']) });
  });
});
