import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Debian's Chromium for the browser tests (never a downloaded browser; `.ci/run` installs it and
 * fails when it cannot, and fails when any test was skipped). The flags keep it off the network:
 * without the background-networking ones it tries update and sync hosts on every start.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

/** Why the browser tests cannot run here, or undefined when Chromium is installed. */
export const chromiumMissing: string | undefined = existsSync(CHROMIUM)
  ? undefined
  : `${CHROMIUM} is missing (apt-get install -y chromium)`;

/** Where browser tests save their screenshots (git-ignored). */
export const ARTIFACTS = join(process.cwd(), 'test', 'artifacts');
