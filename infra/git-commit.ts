import { execFileSync } from 'node:child_process';

/**
 * The git commit the app is synthesized from, recorded on the functions that put it in their
 * output (the reproducibility bundle's code.json): `INDEKS_GIT_COMMIT` when set (CI, a build from
 * an archive), else `git rev-parse HEAD` of the working tree, else "unknown".
 */
export function gitCommit(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.INDEKS_GIT_COMMIT?.trim();
  if (given) return given;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}
