import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { isJsonObject, type JsonObject } from '../json';
import type { Logger } from '../log';

export interface LoadedTemplate {
  stackName: string;
  template: JsonObject;
  /** True when the template came from the cache (no synth this start). */
  cached: boolean;
}

const SYNTH_ENTRY = 'infra/synth.ts';
const CHILD = 'local/template/synth-child.ts';
/** Files outside the import graph that still change the synthesized template. */
const ALSO_HASHED = ['package-lock.json', 'cdk.json'];

/**
 * Cache key: every source file infra/synth.ts imports (found by esbuild, ~0.2 s), plus the lock
 * file (CDK version). Any change to infra or to the shared files it imports re-synthesizes.
 */
async function cacheKey(projectRoot: string): Promise<string> {
  const result = await build({
    entryPoints: [join(projectRoot, SYNTH_ENTRY)],
    absWorkingDir: projectRoot,
    bundle: true,
    write: false,
    metafile: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
  });
  const files = [...Object.keys(result.metafile.inputs), ...ALSO_HASHED].sort();
  const digest = createHash('sha256');
  for (const file of files) {
    digest.update(file);
    digest.update(await readFile(join(projectRoot, file)));
  }
  return digest.digest('hex').slice(0, 32);
}

function synthInChild(projectRoot: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      cwd: projectRoot,
      env: {
        ...process.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        CDK_DISABLE_VERSION_CHECK: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else
        reject(
          new Error(`cdk synth failed (exit ${code}):\n${Buffer.concat(err).toString('utf8').slice(-4000)}`),
        );
    });
  });
}

function parseSynthesized(text: string): Omit<LoadedTemplate, 'cached'> {
  const parsed: unknown = JSON.parse(text);
  if (!isJsonObject(parsed) || typeof parsed.stackName !== 'string' || !isJsonObject(parsed.template)) {
    throw new Error('synthesized template has an unexpected shape');
  }
  return { stackName: parsed.stackName, template: parsed.template };
}

/**
 * The CloudFormation template of the CDK app, synthesized without bundling. Synthesis costs
 * ~5 s, so its result is cached under `cacheDir` keyed by the content of the infra sources.
 */
export async function loadTemplate(options: {
  projectRoot: string;
  cacheDir: string;
  logger: Logger;
}): Promise<LoadedTemplate> {
  const key = await cacheKey(options.projectRoot);
  const file = join(options.cacheDir, `template-${key}.json`);
  try {
    return { ...parseSynthesized(await readFile(file, 'utf8')), cached: true };
  } catch {
    // Not cached yet (or unreadable): synthesize below.
  }
  options.logger.info(
    'Menyintesis templat CDK (sekali per perubahan infra) / synthesizing the CDK template (once per infra change)…',
  );
  const text = await synthInChild(options.projectRoot);
  const loaded = parseSynthesized(text);
  await mkdir(options.cacheDir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
  return { ...loaded, cached: false };
}
