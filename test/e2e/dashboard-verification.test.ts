import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, s3Client } from '#adapters/aws-clients';
import { createRepositories } from '#adapters/dynamo/index';
import { ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from '#test/support/chromium';
import { answerOf, apiAs, subOf } from '#test/support/runtime-api';
import { type DevelopmentUser, signInThroughPicker } from '#test/support/sign-in';
import * as stage from '#test/support/verification';
import { startTestRuntime, type TestRuntime } from '../integration/local/support';

/**
 * Issue 11 in the browser, against `indeks start` in this process: people sign in through the
 * local issuer's picker (code + PKCE), then
 *   1. an assessor adjusts an answer in the workspace,
 *   2. the region's operator sees the decision and files an objection,
 *   3. another assessor upholds it,
 *   4. after the re-rank, an affected region's operator reads its rank notice.
 * Phases, assignments and the bulk of the decisions are set up through the API (what would be
 * tedious in the page); the four actions above go through the page. axe-core checks each new
 * view for serious or critical violations. Screenshots go to test/artifacts/.
 */
/** API calls behind each step run whole Lambdas on a shared machine: give the page time. */
const POLL = { timeout: 20_000, interval: 100 };
const AXE = join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js');
const skipReason = chromiumMissing;

interface Answer {
  key: string;
  kind: string;
  level?: number;
  evidence?: string;
}

describe.skipIf(skipReason !== undefined)(
  `verification in the dashboard${skipReason ? ` — skipped: ${skipReason}` : ''}`,
  () => {
    let t: TestRuntime;
    let browser: Browser;
    let dashboard = '';

    beforeAll(async () => {
      t = await startTestRuntime();
      dashboard = `${t.runtime.urls.api}/dashboard/`;
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    }, 180_000);
    afterAll(async () => {
      await browser?.close();
      await t?.stop();
    }, 60_000);

    const token = (request: DevelopmentUser) => apiAs(t.runtime, { ...request, ttlSeconds: 30 * 86_400 });

    async function openAs(user: DevelopmentUser, cycle: string): Promise<{ page: Page; errors: string[] }> {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await signInThroughPicker(page, `${dashboard}?cycle=${cycle}`, user);
      return { page, errors };
    }

    async function seriousViolations(page: Page, include: string): Promise<{ id: string; impact: string }[]> {
      // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays as served.
      await page.evaluate(readFileSync(AXE, 'utf8'));
      const violations = await page.evaluate<{ id: string; impact: string; nodes: number }[], string>(
        async (selector) =>
          (
            await (
              globalThis as unknown as {
                axe: {
                  run(
                    context: unknown,
                  ): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }>;
                };
              }
            ).axe.run({ include: [selector] })
          ).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })),
        include,
      );
      return violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(({ id, impact }) => ({ id, impact }));
    }

    it('assessor adjusts, operator objects, another assessor upholds, a rank notice appears', async () => {
      const cycle = await stage.nationalRunForLampung(t.runtime);
      const admin = await token({ role: 'admin' });
      const now = t.runtime.clock.now();
      expect((await stage.scheduleVerification(admin, cycle, now)).status).toBe(201);
      const phase = async (to: string) => {
        const moved = await stage.requestPhase(admin, cycle, to);
        if (to === 'PROVISIONAL' || to === 'FINAL') {
          // Their results are computed by the verification state machine, which then moves the phase.
          expect(moved.status).toBe(202);
          expect(await stage.phaseRunEnd(t.runtime, moved.body.run?.execution)).toBe('SUCCEEDED');
        } else if (moved.status !== 200) {
          // A date of the stage calendar has passed: its safety net may have made the move first.
          expect(moved.status).toBe(409);
        }
        expect(await stage.currentPhase(admin, cycle)).toBe(to);
      };
      await phase('VERIFICATION');

      const a31 = await token({ role: 'assessor', province: '31' });
      const a32 = await token({ role: 'assessor', province: '32' });
      const assigned = await stage.assignAssessors(admin, cycle, { '31': a31, '32': a32 });
      expect(assigned.status).toBe(200);
      const regions = assigned.body.assignments.map((a) => a.region);

      // The best self-assessed region loses most of its answers (it will object and climb back).
      const selfOf = async (kode: string) =>
        Number(
          (
            await answerOf<{ scores: { self?: { display: string } } }>(
              admin,
              'GET',
              `/cycles/${cycle}/regions/${kode}/verification`,
            )
          ).body.scores.self?.display ?? '0',
        );
      const selves = await Promise.all(regions.map(async (k) => [k, await selfOf(k)] as const));
      const target = [...selves].sort((x, y) => y[1] - x[1])[0]?.[0] ?? '';
      const primary = assigned.body.assignments.find((a) => a.region === target)?.primary;
      const [decider, deciderUser, resolverUser] =
        primary === subOf(a31)
          ? [a31, { role: 'assessor', province: '31' }, { role: 'assessor', province: '32' }]
          : [a32, { role: 'assessor', province: '32' }, { role: 'assessor', province: '31' }];

      // The answer adjusted in the page: an indicator answered above level 1.
      const targetAnswers = (
        await answerOf<{ answers: Answer[] }>(decider, 'GET', `/cycles/${cycle}/regions/${target}/answers`)
      ).body.answers;
      const chosen = targetAnswers.find((a) => a.kind === 'indicator' && (a.level ?? 0) > 1);
      if (!chosen) throw new Error(`no indicator above level 1 in ${target}`);

      // The demo names evidence files but uploads none: this one file is put where an accepted
      // evidence upload lands (object + evidence record), so the page can open it.
      if (!chosen.evidence) throw new Error(`answer ${chosen.key} of ${target} names no evidence file`);
      {
        const bucket = t.runtime.template
          .buckets()
          .find((b) => b.logicalId.startsWith('StorageUploads'))?.name;
        const table = t.runtime.template.tables()[0]?.name;
        if (!bucket || !table) throw new Error('no upload bucket or table in the template');
        // Outside `submissions/`: no ingestion event (this object has no upload grant).
        const key = `seeded-evidence/${cycle}/${target}/${chosen.evidence}`;
        const put = await s3Client().send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: '%PDF-1.4 bukti',
            ContentType: 'application/pdf',
          }),
        );
        await createRepositories(documentClient(), table).evidence.record({
          cycleId: cycle,
          kode: target,
          fileName: chosen.evidence,
          uploadId: 'evidence-seeded0001',
          object: { bucket, key, ...(put.VersionId ? { versionId: put.VersionId } : {}) },
          uploadedAt: new Date(now).toISOString(),
        });
      }

      // Everything else through bulk sheets: the target's other SPD answers and innovations rejected.
      const rejected: string[] = [];
      for (const assessor of [a31, a32]) {
        const lines = ['kode,answer,decision,level,reason,note'];
        for (const a of assigned.body.assignments.filter((x) => x.primary === subOf(assessor))) {
          const answers = (
            await answerOf<{ answers: Answer[] }>(
              assessor,
              'GET',
              `/cycles/${cycle}/regions/${a.region}/answers`,
            )
          ).body.answers;
          for (const answer of answers) {
            if (answer.key === chosen.key && a.region === target) continue;
            const reject = a.region === target && answer.kind !== 'item-indicator';
            if (reject) rejected.push(answer.key);
            lines.push(
              reject
                ? `${a.region},${answer.key},reject,,EVIDENCE_MISSING,Dokumen tidak ada`
                : `${a.region},${answer.key},accept,,,`,
            );
          }
        }
        const sheet = {
          fileName: 'keputusan.csv',
          contentBase64: Buffer.from(lines.join('\n')).toString('base64'),
        };
        expect((await answerOf(assessor, 'POST', `/cycles/${cycle}/decisions`, { sheet })).status).toBe(200);
      }

      // 1. The assessor, in the workspace: queue with progress, the answer beside its evidence, adjust.
      {
        const { page, errors } = await openAs(deciderUser, cycle);
        await page.waitForSelector('#workspace:not([hidden])');
        const row = page.locator(`#queue-table tbody tr[data-kode="${target}"]`);
        const total = targetAnswers.length;
        expect(await row.locator('td').nth(3).textContent()).toBe(`${total - 1} / ${total}`);
        await row.locator('button').click();
        await page.waitForSelector('#review:not([hidden])');
        await page.fill('#answer-search', chosen.key);
        const answerRow = page.locator(`#answers-table tbody tr[data-answer="${chosen.key}"]`);
        await expect.poll(() => answerRow.count(), POLL).toBe(1);
        expect(await answerRow.locator('td.decision-cell').textContent()).toContain('Belum diputus');
        {
          // Opening evidence: a presigned GET from the API (which records the opening), as a link.
          await answerRow.locator('button[data-evidence]').click();
          const link = answerRow.locator('a[data-evidence-link]');
          await expect
            .poll(async () => (await link.count()) || (await page.locator('#error').textContent()), POLL)
            .toBe(1);
          expect(await link.getAttribute('href')).toContain('X-Amz-Signature');
          expect(await link.textContent()).toContain(chosen.evidence);
          for (const p of page.context().pages()) if (p !== page) await p.close();
        }
        // Keyboard: focus the decide button, Enter; the form takes focus.
        await answerRow.locator('button[data-decide]').focus();
        await page.keyboard.press('Enter');
        await page.waitForSelector('#decision-form:not([hidden])');
        expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('decision-title');
        await page.check('#decision-form input[value="adjust"]');
        await page.fill('#decision-level', '1');
        await page.selectOption('#decision-reason', 'EVIDENCE_NOT_SUPPORTING');
        // Innovation-only reasons are not offered for an SPD indicator.
        expect(await page.locator('#decision-reason option[value="DUPLICATE_INNOVATION"]').count()).toBe(0);
        await page.fill('#decision-note', 'Bukti hanya mendukung level 1.');
        expect(await seriousViolations(page, '#workspace')).toEqual([]);
        await page.click('#decision-form button[type="submit"]');
        await page.waitForSelector('#decision-form', { state: 'hidden' });
        await expect
          .poll(() => answerRow.locator('td.decision-cell').textContent(), POLL)
          .toContain('Disesuaikan → level 1 (EVIDENCE_NOT_SUPPORTING)');
        await expect.poll(() => row.locator('td').nth(3).textContent(), POLL).toBe(`${total} / ${total}`);
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, 'dashboard-assessor.png'), fullPage: true });
        expect(errors).toEqual([]);
        await page.close();
      }

      await phase('PROVISIONAL');
      await t.runtime.advanceClock('P2DT1H');
      await phase('SANGGAH');

      // 2. The operator sees the decision (before/after, reason, note, points) and objects to it.
      const operatorUser = { role: 'operator', region: target };
      {
        const { page, errors } = await openAs(operatorUser, cycle);
        await page.waitForSelector('#operator:not([hidden])');
        const change = page.locator(`#changes-table tbody tr[data-change="${chosen.key}"]`);
        await expect.poll(() => change.count(), POLL).toBe(1);
        const text = (await change.textContent()) ?? '';
        expect(text).toContain('Disesuaikan');
        expect(text).toContain(`level ${chosen.level} → 1`);
        expect(text).toContain('Dokumen bukti tidak mendukung level yang dipilih');
        expect(text).toContain('Bukti hanya mendukung level 1.');
        expect(await page.locator('#operator-scores .card').count()).toBe(2);
        await change.locator('button[data-object]').click();
        await page.waitForSelector('#objection-form:not([hidden])');
        await page.fill('#objection-claim', 'Notulen rapat bulan Maret mendukung level semula.');
        expect(await seriousViolations(page, '#operator')).toEqual([]);
        await page.click('#objection-form button[type="submit"]');
        const mine = page.locator(`#my-objections-table tbody tr[data-my-objection="${chosen.key}"]`);
        await expect.poll(() => mine.count(), POLL).toBe(1);
        expect(await mine.textContent()).toContain('Menunggu putusan');
        await page.screenshot({ path: join(ARTIFACTS, 'dashboard-operator.png'), fullPage: true });
        expect(errors).toEqual([]);
        await page.close();
      }
      // The other objections of the target through the API (the page did one).
      const operator = await token(operatorUser);
      for (const answer of rejected)
        expect(
          (
            await answerOf(operator, 'POST', `/cycles/${cycle}/regions/${target}/objections`, {
              answer,
              claim: 'Dokumen ada, lihat lampiran baru.',
            })
          ).status,
          answer,
        ).toBe(201);

      await phase('RESOLUTION');

      // 3. Another assessor (not the decider) upholds the objection in the page.
      {
        const { page, errors } = await openAs(resolverUser, cycle);
        await page.waitForSelector('#objection-queue:not([hidden])');
        const key = `${target}|${chosen.key}`;
        const row = page.locator(`#objection-queue-table tbody tr[data-objection="${key}"]`);
        await expect.poll(() => row.count(), POLL).toBe(1);
        expect(await row.textContent()).toContain('Notulen rapat bulan Maret');
        await row.locator('input[data-resolution-reason]').fill('Notulen sah dan mendukung level semula.');
        expect(await seriousViolations(page, '#objection-queue')).toEqual([]);
        await row.locator('button[data-uphold]').click();
        await expect
          .poll(async () => (await page.locator('#objection-queue-table').textContent()) ?? '', POLL)
          .toContain('Notulen sah dan mendukung level semula.');
        expect(errors).toEqual([]);
        await page.close();
      }
      const resolver = await token(resolverUser);
      for (const answer of rejected)
        expect(
          (
            await answerOf(resolver, 'POST', `/cycles/${cycle}/regions/${target}/objections/resolutions`, {
              answer,
              outcome: 'upheld',
              reason: 'Bukti baru sah.',
            })
          ).status,
          answer,
        ).toBe(200);
      await phase('FINAL');

      // 4. After the re-rank, a region moved only by the target's upheld objections reads its notice.
      let affected = '';
      for (const kode of regions.filter((k) => k !== target)) {
        const r = await answerOf<{ notices?: { from: number | null; to: number | null }[] }>(
          admin,
          'GET',
          `/cycles/${cycle}/regions/${kode}/verification`,
        );
        if ((r.body.notices ?? []).length > 0) {
          affected = kode;
          break;
        }
      }
      expect(affected).not.toBe('');
      {
        const { page, errors } = await openAs({ role: 'operator', region: affected }, cycle);
        await page.waitForSelector('#operator:not([hidden])');
        const notice = page.locator('#operator-notices .rank-notice');
        await expect.poll(() => notice.count(), POLL).toBeGreaterThan(0);
        const text = (await notice.first().textContent()) ?? '';
        expect(text).toMatch(/Peringkat \d+ → \d+/);
        expect(text).toContain(target);
        expect(await page.locator('#operator-scores .card').count()).toBe(3);
        // The same notice in the region detail.
        await page.goto(`${dashboard}?cycle=${cycle}&region=${affected}`);
        await page.waitForSelector('body[data-ready="true"]');
        await page.waitForSelector('#profile-verification:not([hidden])');
        expect(await page.locator('#profile-notices').textContent()).toContain(target);
        expect(await seriousViolations(page, '#operator')).toEqual([]);
        await page.screenshot({ path: join(ARTIFACTS, 'dashboard-rank-notice.png'), fullPage: true });
        expect(errors).toEqual([]);
        await page.close();
      }
    }, 600_000);
  },
);
