import type { Page } from 'playwright-core';

export interface DevelopmentUser {
  role: string;
  region?: string;
  province?: string;
}

/**
 * Signs in on the dashboard the way a person does locally: "Masuk", then the local issuer's
 * picker (role, region, province), back to the page with the code exchanged (PKCE) by
 * oidc-client-ts. `url` is the dashboard address to open first (it is kept across the sign-in).
 */
export async function signInThroughPicker(page: Page, url: string, user: DevelopmentUser): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('#sign-in');
  await page.waitForURL(/\/_local\/oidc\/authorize/);
  await page.selectOption('#role', user.role);
  if (user.region) await page.fill('#region', user.region);
  if (user.province) await page.fill('#province', user.province);
  await page.click('button[type="submit"]');
  await page.waitForURL((u) => u.pathname.endsWith('/dashboard/') && !u.searchParams.has('code'));
  await page.waitForSelector('body[data-ready="true"]');
}
