/**
 * How every Lambda is bundled, in one place: the CDK house function and the bundle report script
 * (infra/scripts/bundle-report.ts) both use it, so the measured bundles are the deployed ones.
 */

/** Lets CommonJS dependencies `require()` Node built-ins from inside the ESM bundle. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __indeksCreateRequire } from 'node:module'; const require = __indeksCreateRequire(import.meta.url);";

export const BUNDLE = {
  format: 'esm',
  /** The local runtime is Node 20; the Lambda runtime is newer and runs node20 output unchanged. */
  target: 'node20',
  platform: 'node',
  minify: true,
  sourcemap: true,
  /** Prefer ESM entry points of dependencies (smaller, tree-shakable). */
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  /** Nothing is external: the AWS SDK is bundled (pinned version, tree-shaken, faster cold start). */
  external: [] as string[],
} as const;
