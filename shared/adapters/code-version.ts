import type { CodeInfo } from '#domain/bundle/index';
import pkg from '../../package.json';

/**
 * The code that runs: package name and version (from package.json, bundled in), and the git commit
 * in `INDEKS_GIT_COMMIT`, which the CDK app sets on the functions that record it at synth time
 * (`gitCommit()` in infra/git-commit.ts: the env var if set, else `git rev-parse HEAD`); the local
 * runtime synthesizes the same app, so it records the working tree's HEAD. "unknown" without either.
 */
export function codeInfoFromEnv(env: NodeJS.ProcessEnv = process.env): CodeInfo {
  return {
    package: { name: pkg.name, version: pkg.version },
    commit: env.INDEKS_GIT_COMMIT?.trim() || 'unknown',
  };
}
