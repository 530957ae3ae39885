import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '#cli/api-client';
import { ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from '#test/support/chromium';
import { apiAs } from '#test/support/runtime-api';
import { inviteRespondents, openIkkdCycle } from '#test/support/survey';
import { startTestRuntime, type TestRuntime } from '../integration/local/support';

/**
 * The public survey form (dashboard/survey/) in Chromium on a phone-sized viewport (375 × 667),
 * against the local runtime: a respondent opens the invitation link and answers every item with the
 * keyboard only, axe-core finds no serious or critical violation, the confirmation is announced,
 * and test/artifacts/survey-form.png is saved. Skipped, with the reason, without /usr/bin/chromium.
 */
const AXE = join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js');
const skip = chromiumMissing;

describe.skipIf(skip !== undefined)(`survey form in Chromium${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let t: TestRuntime;
  let browser: Browser;
  let link = '';
  let cycleId = '';
  const KODE = '35.10';

  beforeAll(async () => {
    t = await startTestRuntime();
    cycleId = await openIkkdCycle(t.runtime.urls.api, await apiAs(t.runtime, { role: 'admin' }));
    const invitations = await inviteRespondents(
      await apiAs(t.runtime, { role: 'operator', region: KODE }),
      cycleId,
      KODE,
    );
    link = invitations[0]?.link ?? '';
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  }, 60_000);

  it('is answered with the keyboard alone on a 375 × 667 screen, accessibly', async () => {
    expect(link).toMatch(/\/dashboard\/survey\/#[A-Z2-9-]{19}$/);
    const page = await browser.newPage({
      viewport: { width: 375, height: 667 },
      isMobile: true,
      hasTouch: true,
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(link);
    await page.waitForSelector('#survey:not([hidden]) fieldset');
    // The code left the address bar (it was only ever in the fragment).
    expect(page.url()).not.toContain('#');
    expect(await page.locator('#region').textContent()).toMatch(/Banyuwangi/i);
    expect(await page.locator('fieldset').count()).toBe(13);

    // Keyboard only: focus starts on the first choice; in each radio group arrow keys choose, Tab moves on.
    const focused = () =>
      page.evaluate<string>("document.activeElement?.name || document.activeElement?.id || ''");
    expect(await focused()).toBe('KB1');
    // The English toggle first (Shift+Tab reaches it from the first item), then back to Bahasa Indonesia.
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('lang');
    await page.keyboard.press('Enter');
    expect(await page.locator('#send').textContent()).toBe('Send answers');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.keyboard.press('Enter');
    expect(await page.locator('html').getAttribute('lang')).toBe('id');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('KB1');
    for (let i = 0; i < 13; i++) {
      // The first radio of a group is focused unchecked: ArrowRight twice, then Space, picks value 3 or so.
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Space');
      if (i < 12) await page.keyboard.press('Tab');
    }
    const stored = await page.evaluate<string | null>(
      "Object.entries(localStorage).find(([k]) => k.startsWith('indeks-survey:'))?.[1] ?? null",
    );
    expect(Object.keys(JSON.parse(stored ?? '{}'))).toHaveLength(13);

    // axe-core on the filled form: no serious or critical violation.
    // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays as deployed.
    await page.evaluate(readFileSync(AXE, 'utf8'));
    const violations = await page.evaluate<{ id: string; impact: string }[]>(
      '(async () => (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact })))()',
    );
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'survey-form.png'), fullPage: false });

    await page.keyboard.press('Tab');
    expect(await focused()).toBe('send');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('#status').textContent(), { timeout: 15_000 })
      .toMatch(/Terima kasih/);
    expect(await page.locator('#status').getAttribute('role')).toBe('status');
    expect(await page.locator('#status').getAttribute('aria-live')).toBe('polite');
    expect(await page.evaluate<number>('Object.keys(localStorage).length')).toBe(0);
    expect(errors).toEqual([]);

    const rates = await callApi<{ answered: number }>(
      await apiAs(t.runtime, { role: 'admin' }),
      'GET',
      `/cycles/${cycleId}/regions/${KODE}/survey/rates`,
    );
    expect(rates.body.answered).toBe(1);
  }, 120_000);
});
