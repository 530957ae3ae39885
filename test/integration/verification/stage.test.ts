import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalKey } from '#adapters/bucket-layout';
import { getMethodology } from '#domain/methodology/registry';
import { toSubmissionJson } from '#domain/submission-json';
import { displayUnits } from '#domain/verification/index';
import { createVerificationApi } from '#functions/api-verification';
import type { VerificationDeps } from '#functions/lib/verification/deps';
import { inProcessPhaseRunner } from '#functions/lib/verification/phase-run';
import { uploadStoreFromEnv } from '#functions/lib/wiring';
import { apiEvent } from '../../support/api-event';
import { type Emulators, startEmulators } from '../../support/emulators';
import { innovation, methodology, spdAtLevel, submission } from '../../support/iid';
import { AUTUMN_STAGE, juneIidCycle } from '../../support/verification';

/**
 * The whole verification stage through api-verification with real SDK clients against dynalite
 * and s3rver: assignment, decisions (JSON and a CSV sheet), double verification and adjudication,
 * provisional results, an upheld objection, final re-rank with a rank notice, editions, and the
 * refusals (other region 404, own province 403, outside the window, after final).
 */
const CYCLE = 'iid-2026v';
const m = methodology('iid-2023');
let e: Emulators;
let clock = new Date('2026-08-01T00:00:00+07:00');
let handler: ReturnType<typeof createVerificationApi>;

type Who = { groups: string[]; sub: string; region?: string; province?: string };
const admin: Who = { groups: ['admin'], sub: 'admin-1' };
const assessor = (id: string): Who => ({ groups: ['assessor'], sub: id, province: id.slice(-2) });
const operator = (kode: string): Who => ({ groups: ['operator'], sub: `op-${kode}`, region: kode });

async function call(
  routeKey: string,
  who: Who,
  options: { params?: Record<string, string>; body?: unknown } = {},
) {
  const out = await handler(apiEvent(routeKey, { ...who, ...options }), {} as Context);
  // biome-ignore lint/suspicious/noExplicitAny: the test reads the API's JSON answers by path
  const json: any = out.body ? JSON.parse(out.body) : undefined;
  return { status: out.statusCode ?? 200, json };
}
/** Asks for a phase move (admin unless said otherwise). */
const phase = (to: string, who: Who = admin) =>
  call('POST /cycles/{cycleId}/verification/phase', who, { params: { cycleId: CYCLE }, body: { to } });

const SUBMISSIONS = {
  // Self 71.12: SPD 63 + 10 innovations × 111 / 10 + 0.38 × 10.
  '18.01': {
    indicators: spdAtLevel(3),
    groups: { inovasi: Array.from({ length: 10 }, (_, i) => innovation(`i${i}`, 3)) },
  },
  // 66.53: SPD 63 + 9 × 111 / 10 + 0.38 × 9.
  '32.01': {
    indicators: spdAtLevel(3),
    groups: { inovasi: Array.from({ length: 9 }, (_, i) => innovation(`b${i}`, 3)) },
  },
  '35.01': {
    indicators: spdAtLevel(2),
    groups: { inovasi: Array.from({ length: 5 }, (_, i) => innovation(`c${i}`, 2)) },
  },
  '31.71': { indicators: spdAtLevel(2), groups: { inovasi: [innovation('d0', 1)] } },
} as const;

beforeAll(async () => {
  e = await startEmulators({ tableName: 'indeks-verification', bucket: 'indeks-verification' });
  // The phase results run in this process: the same steps the verification state machine runs.
  const phases = inProcessPhaseRunner(() => deps);
  const deps: VerificationDeps = {
    repos: e.table.repos,
    objects: uploadStoreFromEnv(),
    ledger: e.table.repos.ledger,
    presign: async (key) => key,
    methodologyOf: getMethodology,
    now: () => clock,
    phases,
  };
  handler = createVerificationApi({ now: () => clock, phases });
  const repos = e.table.repos;
  await repos.cycles.create(juneIidCycle(CYCLE, 'IID 2026 (verifikasi)', m.hash));
  await repos.cycles.transition(CYCLE, 'OPEN');
  await repos.cycles.transition(CYCLE, 'CLOSED');
  for (const [kode, body] of Object.entries(SUBMISSIONS)) {
    const s = submission({ methodology: 'iid-2023', region: kode, period: 2023, ...body });
    const submissionId = `sub-${kode.replace('.', '-')}`;
    await e.objects.putJson(canonicalKey({ cycleId: CYCLE, kode, submissionId }), toSubmissionJson(s));
    await repos.regionStatus.recordSubmission({
      cycleId: CYCLE,
      kode,
      submissionId,
      status: 'SCORED',
      uploadedAt: '2026-06-20T00:00:00Z',
      updatedAt: '2026-06-20T00:01:00Z',
    });
  }
  await repos.evidence.record({
    cycleId: CYCLE,
    kode: '18.01',
    fileName: 'spd-1.pdf',
    uploadId: 'evidence-0001',
    object: {
      bucket: 'indeks-verification',
      key: `submissions/${CYCLE}/18.01/evidence-0001/spd-1.pdf`,
      versionId: 'v1',
    },
    uploadedAt: '2026-06-20T00:00:00Z',
  });
});
afterAll(async () => {
  await e?.close();
});

let primaryOf: Record<string, string> = {};

describe('verification stage (api-verification, emulators)', () => {
  it('schedules the stage and moves to VERIFICATION once the window has closed', async () => {
    const bad = await call('PUT /cycles/{cycleId}/verification', admin, {
      params: { cycleId: CYCLE },
      body: { ...AUTUMN_STAGE, verificationClosesAt: '2026-08-01T00:00:00+07:00' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.problems[0].location.path).toBe('verificationClosesAt');
    const put = await call('PUT /cycles/{cycleId}/verification', admin, {
      params: { cycleId: CYCLE },
      body: { ...AUTUMN_STAGE, sampleRate: 0, seed: 'uji' },
    });
    expect(put.status).toBe(201);
    expect((await phase('VERIFICATION', assessor('asesor-31'))).status).toBe(403);
    clock = new Date('2026-09-01T08:00:00+07:00');
    const moved = await phase('VERIFICATION');
    expect(moved.status).toBe(200);
    expect(moved.json.stage.phase).toBe('VERIFICATION');
  });

  it('assigns every region (never to its own province), keeping the admin double-verification', async () => {
    const out = await call('POST /cycles/{cycleId}/assignments', admin, {
      params: { cycleId: CYCLE },
      body: {
        assessors: [
          { id: 'asesor-18', province: '18' },
          { id: 'asesor-31', province: '31' },
          { id: 'asesor-35', province: '35' },
        ],
        assignments: [{ region: '32.01', primary: 'asesor-18', second: 'asesor-35' }],
      },
    });
    expect(out.status).toBe(200);
    primaryOf = Object.fromEntries(
      out.json.assignments.map((a: { region: string; primary: string }) => [a.region, a.primary]),
    );
    expect(Object.keys(primaryOf).sort()).toEqual(['18.01', '31.71', '32.01', '35.01']);
    for (const [region, id] of Object.entries(primaryOf)) expect(id.slice(-2)).not.toBe(region.slice(0, 2));
    const conflict = await call('POST /cycles/{cycleId}/assignments', admin, {
      params: { cycleId: CYCLE },
      body: {
        assessors: [{ id: 'asesor-18', province: '18' }],
        assignments: [{ region: '18.01', primary: 'asesor-18' }],
      },
    });
    expect(conflict.status).toBe(400);
  });

  it('shows a region only to its operator, its assessors and the ministry; evidence openings are recorded', async () => {
    expect(
      (
        await call('GET /cycles/{cycleId}/regions/{kode}/answers', operator('35.01'), {
          params: { cycleId: CYCLE, kode: '18.01' },
        })
      ).status,
    ).toBe(404);
    const own = await call('GET /cycles/{cycleId}/regions/{kode}/answers', operator('18.01'), {
      params: { cycleId: CYCLE, kode: '18.01' },
    });
    expect(own.status).toBe(200);
    expect(own.json.progress).toMatchObject({ total: 230, decided: 0, complete: false });
    expect(own.json.answers[0]).toMatchObject({ key: '1', level: 3, evidence: 'spd-1.pdf', decision: null });
    const primary = primaryOf['18.01'] ?? '';
    const link = await call('POST /cycles/{cycleId}/regions/{kode}/evidence-links', assessor(primary), {
      params: { cycleId: CYCLE, kode: '18.01' },
      body: { answer: '1' },
    });
    expect(link.status).toBe(200);
    expect(link.json.url).toContain('spd-1.pdf');
    expect(await e.table.repos.verification.listEvidenceOpenings(CYCLE, '18.01')).toHaveLength(1);
  });

  it("refuses decisions from an assessor of the region's own province and from operators", async () => {
    const own = await call('POST /cycles/{cycleId}/decisions', assessor('asesor-18'), {
      params: { cycleId: CYCLE },
      body: { kode: '18.01', decisions: [{ answer: '1', decision: 'accept' }] },
    });
    expect(own.status).toBe(403);
    expect(own.json.detail_id).toContain('Konflik kepentingan');
    const op = await call('POST /cycles/{cycleId}/decisions', operator('18.01'), {
      params: { cycleId: CYCLE },
      body: { kode: '18.01', decisions: [{ answer: '1', decision: 'accept' }] },
    });
    expect(op.status).toBe(403);
  });

  it('takes a decision sheet only when all of it is valid, naming every bad row', async () => {
    const answers = (
      await call('GET /cycles/{cycleId}/regions/{kode}/answers', admin, {
        params: { cycleId: CYCLE, kode: '18.01' },
      })
    ).json.answers as { key: string }[];
    const special: Record<string, string> = {
      '1': 'adjust,1,EVIDENCE_NOT_SUPPORTING,Visi saja',
      'inovasi/i3': 'reject,,DUPLICATE_INNOVATION,Sama dengan i2',
      'inovasi/i4/16': 'reject,,EVIDENCE_MISSING,',
    };
    const rows = answers.map((a) => `18.01,${a.key},${special[a.key] ?? 'accept,,,'}`);
    const sheet = (lines: string[]) => ({
      sheet: {
        fileName: 'keputusan.csv',
        contentBase64: Buffer.from(['kode,answer,decision,level,reason,note', ...lines].join('\n')).toString(
          'base64',
        ),
      },
    });
    const who = assessor(primaryOf['18.01'] ?? '');
    const broken = [...rows];
    broken[1] = '18.01,2a,adjust,9,EVIDENCE_OUTDATED,';
    broken[2] = '18.01,2b,maybe,,,';
    const bad = await call('POST /cycles/{cycleId}/decisions', who, {
      params: { cycleId: CYCLE },
      body: sheet(broken),
    });
    expect(bad.status).toBe(400);
    expect(bad.json.problems.map((p: { location: { row: number } }) => p.location.row).sort()).toEqual([
      3, 4,
    ]);
    expect((await e.table.repos.verification.listDecisions(CYCLE, '18.01')).length).toBe(0);
    const ok = await call('POST /cycles/{cycleId}/decisions', who, {
      params: { cycleId: CYCLE },
      body: sheet(rows),
    });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ stored: 230, regions: ['18.01'] });
  });

  it('verifies the others, lists the double-verification disagreement and counts the adjudication', async () => {
    for (const kode of ['31.71', '32.01', '35.01']) {
      const answers = (
        await call('GET /cycles/{cycleId}/regions/{kode}/answers', admin, {
          params: { cycleId: CYCLE, kode },
        })
      ).json.answers as { key: string }[];
      const decisions = answers.map((a) => ({ answer: a.key, decision: 'accept' }));
      expect(
        (
          await call('POST /cycles/{cycleId}/decisions', assessor(primaryOf[kode] ?? ''), {
            params: { cycleId: CYCLE },
            body: { kode, decisions },
          })
        ).status,
      ).toBe(200);
      if (kode === '32.01') {
        const second = decisions.map((d) =>
          d.answer === '1' ? { answer: '1', decision: 'reject', reason: 'EVIDENCE_MISSING' } : d,
        );
        expect(
          (
            await call('POST /cycles/{cycleId}/decisions', assessor('asesor-35'), {
              params: { cycleId: CYCLE },
              body: { kode, decisions: second },
            })
          ).status,
        ).toBe(200);
      }
    }
    const agreement = await call('GET /cycles/{cycleId}/agreement', admin, { params: { cycleId: CYCLE } });
    expect(agreement.json.regions).toBe(1);
    expect(agreement.json.overall.pairs).toBe(20 + 9 * 21);
    expect(agreement.json.disagreements).toEqual([expect.objectContaining({ region: '32.01', answer: '1' })]);
    const early = await phase('PROVISIONAL');
    expect(early.status).toBe(409);
    expect(early.json.title).toBe('VERIFICATION_INCOMPLETE');
    expect(early.json.detail_id).toContain('32.01');
    expect(
      (
        await call('POST /cycles/{cycleId}/decisions', admin, {
          params: { cycleId: CYCLE },
          body: { kode: '32.01', decisions: [{ answer: '1', decision: 'accept' }] },
        })
      ).status,
    ).toBe(200);
  });

  it('publishes provisional results whose changes add up exactly to verified − self', async () => {
    const moved = await phase('PROVISIONAL');
    expect(moved.status).toBe(202);
    expect(moved.json.run).toEqual({ execution: 'iid-2026v-PROVISIONAL', outcome: 'started' });
    expect(moved.json.stage.phase).toBe('PROVISIONAL');
    const r = await call('GET /cycles/{cycleId}/regions/{kode}/verification', operator('18.01'), {
      params: { cycleId: CYCLE, kode: '18.01' },
    });
    expect(r.json.scores.self).toMatchObject({ display: '71.12' });
    expect(r.json.scores.verified).toMatchObject({ display: '65.37' });
    const sum = (r.json.changes as { effect: string }[]).reduce((s, c) => s + displayUnits(c.effect, 2), 0n);
    expect(sum).toBe(displayUnits('65.37', 2) - displayUnits('71.12', 2));
    expect(r.json.changes.map((c: { answer: string; effect: string }) => [c.answer, c.effect])).toEqual([
      ['1', '-0.80'],
      ['inovasi/i3', '-4.59'],
      ['inovasi/i4/16', '-0.36'],
    ]);
    expect(r.json.ranks.kabupaten).toBe(2);
    expect(
      (
        await call('GET /cycles/{cycleId}/regions/{kode}/verification', operator('35.01'), {
          params: { cycleId: CYCLE, kode: '18.01' },
        })
      ).status,
    ).toBe(404);
  });

  it('takes objections only in the sanggah window, one per answer, resolved by another assessor', async () => {
    const file = (body: unknown) =>
      call('POST /cycles/{cycleId}/regions/{kode}/objections', operator('18.01'), {
        params: { cycleId: CYCLE, kode: '18.01' },
        body,
      });
    const claim = {
      answer: 'inovasi/i3',
      claim: 'Inovasi i3 berbeda dari i2: lihat SK terlampir.',
      evidence: [`submissions/${CYCLE}/18.01/objection-0mabc123def456/sk-inovasi.pdf`],
    };
    // New evidence must be the region's own `objection` uploads: another region's file, or a kind of upload
    // that is not an objection's, is refused before anything else.
    const foreign = await file({
      ...claim,
      evidence: [
        `submissions/${CYCLE}/32.01/objection-0mabc123def456/x.pdf`,
        `submissions/${CYCLE}/18.01/evidence-0mabc123def456/x.pdf`,
      ],
    });
    expect(foreign.status).toBe(400);
    expect(foreign.json.problems.map((p: { location: { path: string } }) => p.location.path)).toEqual([
      'evidence[0]',
      'evidence[1]',
    ]);
    const early = await file(claim);
    expect(early.status).toBe(409);
    expect(early.json.detail_id).toContain('05-10-2026 00:00 WIB');
    clock = new Date('2026-10-05T09:00:00+07:00');
    expect((await phase('SANGGAH')).status).toBe(200);
    expect((await file(claim)).status).toBe(201);
    expect((await file(claim)).json.title).toBe('OBJECTION_EXISTS');
    expect((await file({ ...claim, answer: '2a' })).json.title).toBe('NOTHING_TO_OBJECT');
    expect((await file({ ...claim, answer: 'inovasi/i4/16', claim: 'Ada buktinya.' })).status).toBe(201);
    expect(
      (
        await call('POST /cycles/{cycleId}/regions/{kode}/objections', operator('35.01'), {
          params: { cycleId: CYCLE, kode: '18.01' },
          body: claim,
        })
      ).status,
    ).toBe(404);
    clock = new Date('2026-10-12T00:00:00+07:00');
    const late = await file({ ...claim, answer: '1' });
    expect(late.status).toBe(409);
    expect(late.json.detail_id).toContain('11-10-2026 23:59 WIB');
    expect((await phase('RESOLUTION')).status).toBe(200);
    const decider = primaryOf['18.01'] ?? '';
    const other = decider === 'asesor-31' ? 'asesor-35' : 'asesor-31';
    const resolve = (who: Who, body: unknown) =>
      call('POST /cycles/{cycleId}/regions/{kode}/objections/resolutions', who, {
        params: { cycleId: CYCLE, kode: '18.01' },
        body,
      });
    expect(
      (await resolve(assessor(decider), { answer: 'inovasi/i3', outcome: 'upheld', reason: 'ok' })).json
        .title,
    ).toBe('RESOLVER_IS_DECIDER');
    expect(
      (await resolve(assessor('asesor-18'), { answer: 'inovasi/i3', outcome: 'upheld', reason: 'ok' }))
        .status,
    ).toBe(403);
    expect((await phase('FINAL')).json.title).toBe('OBJECTIONS_OPEN');
    const upheld = await resolve(assessor(other), {
      answer: 'inovasi/i3',
      outcome: 'upheld',
      reason: 'SK menunjukkan inovasi berbeda.',
    });
    expect(upheld.status).toBe(200);
    expect(upheld.json.status).toBe('upheld');
    expect(
      (
        await resolve(assessor(other), {
          answer: 'inovasi/i4/16',
          outcome: 'dismissed',
          reason: 'Bukti tetap tidak ada.',
        })
      ).status,
    ).toBe(200);
    const listed = await call('GET /cycles/{cycleId}/objections', admin, { params: { cycleId: CYCLE } });
    expect(listed.json.items.map((o: { status: string }) => o.status).sort()).toEqual([
      'dismissed',
      'upheld',
    ]);
  });

  it('re-ranks at FINAL, tells the region moved only by others, publishes editions and then changes nothing', async () => {
    const moved = await phase('FINAL');
    expect(moved.status).toBe(202);
    expect(moved.json.stage.phase).toBe('FINAL');
    const own = await call('GET /cycles/{cycleId}/regions/{kode}/verification', operator('18.01'), {
      params: { cycleId: CYCLE, kode: '18.01' },
    });
    // i3 restored: 71.12 − 0.80 − 0.36.
    expect(own.json.scores).toMatchObject({
      self: { display: '71.12' },
      verified: { display: '65.37' },
      final: { display: '69.96' },
    });
    expect(own.json.ranks.kabupaten).toBe(1);
    expect(own.json.notices).toEqual([]);
    const other = await call('GET /cycles/{cycleId}/regions/{kode}/verification', operator('32.01'), {
      params: { cycleId: CYCLE, kode: '32.01' },
    });
    expect(other.json.notices).toEqual([
      expect.objectContaining({ cluster: 'kabupaten', from: 1, to: 2, causedBy: ['18.01'] }),
    ]);
    expect(other.json.notices[0].message_id).toContain('dari 1 menjadi 2');

    const first = await call('POST /cycles/{cycleId}/editions', admin, {
      params: { cycleId: CYCLE },
      body: {},
    });
    expect(first.status).toBe(201);
    expect(
      (await call('POST /cycles/{cycleId}/editions', admin, { params: { cycleId: CYCLE }, body: {} })).json
        .title,
    ).toBe('CORRECTION_REASON_REQUIRED');
    expect(
      (
        await call('POST /cycles/{cycleId}/editions', admin, {
          params: { cycleId: CYCLE },
          body: { reason: 'Salah ketik nama wilayah' },
        })
      ).status,
    ).toBe(201);
    const editions = await call('GET /cycles/{cycleId}/editions', operator('18.01'), {
      params: { cycleId: CYCLE },
    });
    expect(editions.json.latest).toMatchObject({ edition: 2, reason: 'Salah ketik nama wilayah' });
    expect(editions.json.items).toHaveLength(2);

    const after = [
      await call('POST /cycles/{cycleId}/decisions', admin, {
        params: { cycleId: CYCLE },
        body: { kode: '18.01', decisions: [{ answer: '1', decision: 'accept' }] },
      }),
      await call('POST /cycles/{cycleId}/regions/{kode}/objections', operator('18.01'), {
        params: { cycleId: CYCLE, kode: '18.01' },
        body: { answer: '1', claim: 'x' },
      }),
      await call('POST /cycles/{cycleId}/regions/{kode}/objections/resolutions', admin, {
        params: { cycleId: CYCLE, kode: '18.01' },
        body: { answer: 'inovasi/i4/16', outcome: 'upheld', reason: 'x' },
      }),
      await phase('FINAL'),
    ];
    expect(after.map((r) => r.status)).toEqual([409, 409, 409, 409]);
    expect(after[0]?.json.title).toBe('CYCLE_FINAL');
    const stage = await call('GET /cycles/{cycleId}/verification', admin, { params: { cycleId: CYCLE } });
    expect(stage.json.history.map((h: { to: string }) => h.to)).toEqual([
      'VERIFICATION',
      'PROVISIONAL',
      'SANGGAH',
      'RESOLUTION',
      'FINAL',
    ]);
  });
});
