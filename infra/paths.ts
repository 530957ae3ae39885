import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (infra/ lives directly under it). */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const LOCK_FILE = join(PROJECT_ROOT, 'package-lock.json');
export const TSCONFIG = join(PROJECT_ROOT, 'tsconfig.json');
