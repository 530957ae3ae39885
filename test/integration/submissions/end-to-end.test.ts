import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDocumentClient,
  createRepositories,
  type Repositories,
  type SubmissionRecord,
} from '#adapters/dynamo/index';
import { innovation, spdAtLevel } from '../../support/iid';
import { startTestRuntime, type TestRuntime } from '../local/support';
import { openCalendar, shipped } from './harness';

/**
 * The whole submission flow in the local runtime with every real handler and the synthesized
 * state machine (its Choice, Catch and ResultPaths, not a copy): HTTP API with an operator's ID
 * token → presigned POST → S3 event → EventBridge rule → ingest-upload → StartExecution →
 * Validate → IsValid → Score | Rejected, failures through RecordFailure.
 */
const IID = shipped('iid-2023');
let t: TestRuntime;
let repos: Repositories;
let token = '';

beforeAll(async () => {
  t = await startTestRuntime();
  const table = t.runtime.template.tables()[0]?.name ?? '';
  // The runtime set the endpoint variables: this is the handlers' own client configuration.
  repos = createRepositories(createDocumentClient(), table);
  const cycle = (cycleId: string, hash = IID.hash) =>
    repos.cycles.create({
      cycleId,
      index: 'IID',
      period: 2023,
      name: 'IID 2023',
      calendar: openCalendar(t.runtime.clock.now()),
      methodology: { id: IID.id, hash },
    });
  await cycle('e2e');
  await cycle('e2e-drift', 'sha256:not-the-deployed-one');
  token = await t.runtime.mintToken({ role: 'operator', region: '18.01' });
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${t.runtime.urls.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function send(cycleId: string, fileName: string, bytes: Buffer): Promise<string> {
  const asked = await api('POST', `/cycles/${cycleId}/regions/18.01/uploads`, {
    fileName,
    contentType: 'application/json',
    size: bytes.length,
    kind: 'data',
  });
  expect(asked.status).toBe(200);
  const post = asked.body as { url: string; fields: Record<string, string>; key: string };
  const form = new FormData();
  for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: 'application/json' }), fileName);
  expect((await fetch(post.url, { method: 'POST', body: form })).status).toBeLessThan(300);
  return post.key;
}

/** The submission of an object once the pipeline has come to rest (a final status). */
async function settled(cycleId: string, key: string): Promise<SubmissionRecord> {
  for (let attempt = 0; attempt < 200; attempt++) {
    await t.runtime.idle();
    const page = await repos.submissions.listForRegion(cycleId, '18.01');
    const found = page.items.find((s) => s.object.key === key);
    if (found && ['SCORED', 'REJECTED', 'FAILED'].includes(found.status)) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no settled submission for ${key}`);
}

const executionOf = (submissionId: string) => {
  const machine = t.runtime.template.stateMachines().find((m) => m.logicalId.startsWith('Submissions'));
  return t.runtime.stepFunctions.listExecutions(machine?.arn).find((e) => e.name === submissionId);
};

describe('local runtime: the real state machine around the real handlers', () => {
  it('a valid upload ends SCORED (execution SUCCEEDED) and the operator reads its score card', async () => {
    const data = {
      methodology: 'iid-2023',
      methodologyHash: IID.hash,
      region: '18.01',
      period: 2023,
      indicators: spdAtLevel(2),
      groups: { inovasi: [innovation('INV-1', 3, { tahun: 2021 })] },
    };
    const key = await send('e2e', 'isian.json', Buffer.from(JSON.stringify(data)));
    const submission = await settled('e2e', key);
    expect(submission.status).toBe('SCORED');
    expect(executionOf(submission.submissionId)?.status).toBe('SUCCEEDED');
    const detail = await api('GET', `/cycles/e2e/regions/18.01/submissions/${submission.submissionId}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      status: 'SCORED',
      current: true,
      methodology: { hash: IID.hash },
      scoreCard: { provisional: true },
    });
  });

  it('a broken file ends REJECTED through the Choice state, with its problem located', async () => {
    const key = await send('e2e', 'rusak.json', Buffer.from('{\n  "region": "18.01",,\n}'));
    const submission = await settled('e2e', key);
    expect(submission.status).toBe('REJECTED');
    expect(executionOf(submission.submissionId)?.status).toBe('SUCCEEDED');
    const detail = await api('GET', `/cycles/e2e/regions/18.01/submissions/${submission.submissionId}`);
    expect(detail.body).toMatchObject({
      status: 'REJECTED',
      report: { problems: [{ code: 'JSON_INVALID', location: { file: 'rusak.json', row: 2 } }] },
    });
  });

  it('an unexpected failure is caught into RecordFailure: submission FAILED, execution FAILED', async () => {
    const key = await send('e2e-drift', 'isian.json', Buffer.from('{}'));
    const submission = await settled('e2e-drift', key);
    expect(submission.status).toBe('FAILED');
    expect(submission.failure).toMatchObject({ error: 'METHODOLOGY_CHANGED' });
    expect(executionOf(submission.submissionId)?.status).toBe('FAILED');
  });
});
