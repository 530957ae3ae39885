import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from '#test/support/chromium';
import { signInThroughPicker } from '#test/support/sign-in';
import { type ResultsHarness, startResultsHarness } from '../integration/results/harness';
import { startResultsServer } from '../integration/results/http-server';
import { seedWorld } from '../integration/results/world';

/**
 * The dashboard in Debian's Chromium against api-results on seeded data (dynalite + the local S3), with
 * a small stand-in server: this runs without the local runtime. dashboard.test.ts runs the same
 * journey against `indeks start`.
 */
const hasChromium = chromiumMissing === undefined;

describe.skipIf(!hasChromium)(
  'dashboard in Chromium, seeded API (skipped: /usr/bin/chromium missing — apt-get install -y chromium)',
  () => {
    let h: ResultsHarness;
    let server: { url: string; close(): Promise<void> };
    let browser: Browser;
    let page: Page;
    const errors: string[] = [];

    beforeAll(async () => {
      h = await startResultsHarness('indeks-dashboard');
      await seedWorld(h);
      server = await startResultsServer(h);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        // The cycles here have no verification stage: the page asks, the server answers 409.
        if (message.type() === 'error' && !message.location().url.endsWith('/verification'))
          errors.push(message.text());
      });
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await h?.close();
    });

    it('loads the ranking, filters it, opens a region with its charts, and saves a screenshot', async () => {
      await signInThroughPicker(page, `${server.url}/?cycle=iid-2025`, { role: 'leadership' });
      expect(page.url()).not.toContain('code=');
      expect(page.url()).toContain('/dashboard/');
      expect(page.url()).toContain('cycle=iid-2025');
      await expect.poll(() => page.locator('#ranking-table tbody tr').count()).toBe(25);
      expect(await page.locator('#who').textContent()).toContain('leadership');
      expect(await page.locator('#run-info').textContent()).toContain('r-2025');
      expect(await page.locator('#page-info').textContent()).toBe('1–25 dari 42 daerah');
      expect(await page.locator('#notice').isHidden()).toBe(true);

      // Next page and back.
      await page.click('#next');
      await expect.poll(() => page.locator('#page-info').textContent()).toBe('26–42 dari 42 daerah');
      await page.click('#prev');
      await expect.poll(() => page.locator('#page-info').textContent()).toBe('1–25 dari 42 daerah');

      // Province filter: only Lampung's kabupaten.
      await page.selectOption('#province', '18');
      await expect.poll(() => page.locator('#page-info').textContent()).toBe('1–13 dari 13 daerah');
      const provinces = await page.locator('#ranking-table tbody tr td:nth-child(5)').allTextContents();
      expect(new Set(provinces)).toEqual(new Set(['Lampung']));

      // Predikat filter, then a search.
      await page.selectOption('#predikat', 'Tidak Dapat Dinilai');
      await expect.poll(() => page.locator('#ranking-table tbody tr').count()).toBe(1);
      expect(await page.locator('#ranking-table tbody tr td:nth-child(3)').textContent()).toBe('18.13');
      await page.selectOption('#predikat', '');
      await page.fill('#search', 'lampung sel');
      await expect.poll(() => page.locator('#page-info').textContent()).toBe('1–1 dari 1 daerah');

      // Open the region: profile, breakdown chart, history chart.
      await page.click('#ranking-table tbody tr[data-kode="18.01"]');
      await page.waitForSelector('#profile:not([hidden])');
      expect(await page.locator('#profile-name').textContent()).toBe('Kabupaten Lampung Selatan');
      expect(await page.locator('#profile-eligible').textContent()).toBe('Memenuhi syarat');
      expect(await page.locator('#profile-facts').textContent()).toContain('sha256:');
      // What moves the rank: five single improvements, each with the new value.
      await page.waitForSelector('#advice:not([hidden])');
      await expect.poll(() => page.locator('#advice-list li').count()).toBe(5);
      expect(await page.locator('#advice-list li').first().textContent()).toMatch(/→ \d+\.\d\d/);
      const charts = await page.evaluate(() => {
        const chart = (
          globalThis as unknown as {
            Chart: { getChart(id: string): { data: { labels: unknown[] } } | undefined };
          }
        ).Chart;
        return ['chart-distribution', 'chart-components', 'chart-history'].map(
          (id) => chart.getChart(id)?.data.labels,
        );
      });
      expect(charts[0]).toEqual(['Provinsi', 'Kabupaten', 'Kota']);
      expect(charts[1]).toEqual(['Satuan Pemerintahan Daerah', 'Satuan Inovasi Daerah']);
      expect(charts[2]).toEqual(['2024', '2025', '2026', '2027']);

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-seeded.png'), fullPage: true });
      expect(errors).toEqual([]);
    });

    it('tells an operator, in Bahasa Indonesia, that provisional results are not published', async () => {
      // A new page is a new browser context: nobody signed in yet.
      const operator = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await signInThroughPicker(operator, `${server.url}/dashboard/?cycle=iid-2026`, {
        role: 'operator',
        region: '18.01',
      });
      const error = await operator.locator('#error').textContent();
      expect(error).toContain('belum diterbitkan');
      expect(await operator.locator('#ranking').isHidden()).toBe(true);
      await operator.close();
    });

    it("lets an operator read published rankings and open its own region's profile only", async () => {
      const operator = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await signInThroughPicker(operator, `${server.url}/dashboard/?cycle=iid-2025`, {
        role: 'operator',
        region: '18.01',
      });
      expect(await operator.locator('#error').isHidden()).toBe(true);
      expect(await operator.locator('#who').textContent()).toContain('wilayah 18.01');
      await operator.selectOption('#province', '18');
      await expect.poll(() => operator.locator('#page-info').textContent()).toBe('1–13 dari 13 daerah');
      expect(await operator.locator('#ranking-table tbody tr.locked').count()).toBe(12);
      await operator.click('#ranking-table tbody tr[data-kode="18.02"]');
      expect(await operator.locator('#profile').isHidden()).toBe(true);
      await operator.click('#ranking-table tbody tr[data-kode="18.01"]');
      await operator.waitForSelector('#profile:not([hidden])');
      expect(await operator.locator('#profile-name').textContent()).toBe('Kabupaten Lampung Selatan');
      await operator.close();
    });

    it('serves the page with a strict content security policy and no referrer', async () => {
      const response = await fetch(`${server.url}/dashboard/`);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      const chart = await fetch(`${server.url}/dashboard/vendor/chart.umd.min.js`);
      expect(chart.status).toBe(200);
      expect((await chart.text()).length).toBeGreaterThan(100_000);
      const oidc = await fetch(`${server.url}/dashboard/vendor/oidc-client-ts.min.js`);
      expect(oidc.status).toBe(200);
      expect(await oidc.text()).toContain('UserManager');
      // No way in by a pasted token any more: the page has no token field.
      const html = await (await fetch(`${server.url}/dashboard/`)).text();
      expect(html).not.toContain('id="token"');
    });
  },
);
