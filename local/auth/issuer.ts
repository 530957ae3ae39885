import { readFile } from 'node:fs/promises';
import { dataLayout, PROJECT_ROOT, TEMPLATE_CACHE_DIR } from '../config';
import { isJsonObject, type Json, parseJson } from '../json';
import { silentLogger } from '../log';
import { LocalTemplate } from '../template/model';
import type { IssuerConfig } from './tokens';

/** Issuer and audience of the template's JWT authorizer, and the user pool's groups (roles). */
export function issuerConfig(template: LocalTemplate): IssuerConfig {
  const authorizer = template
    .httpApis()
    .flatMap((a) => a.routes.map((r) => r.authorizer))
    .find((a) => a !== undefined);
  const groups = Object.values(template.resources)
    .filter((r) => r.Type === 'AWS::Cognito::UserPoolGroup')
    .map((r) => r.Properties?.GroupName)
    .filter((g): g is string => typeof g === 'string');
  return {
    issuer: authorizer?.issuer ?? `https://cognito-idp.${template.region}.amazonaws.com/local`,
    clientId: authorizer?.audience[0] ?? 'local',
    groups,
  };
}

function asIssuerConfig(value: Json): IssuerConfig | undefined {
  if (!isJsonObject(value)) return undefined;
  const { issuer, clientId, groups } = value;
  if (typeof issuer !== 'string' || typeof clientId !== 'string' || !Array.isArray(groups)) return undefined;
  return { issuer, clientId, groups: groups.filter((g): g is string => typeof g === 'string') };
}

/**
 * The issuer a running (or previously started) runtime wrote into the data folder; without one,
 * the template's (cached synth) — so `indeks token` works before the first `indeks start` too.
 */
export async function issuerConfigFor(dataDir: string): Promise<IssuerConfig> {
  try {
    const stored = asIssuerConfig(parseJson(await readFile(dataLayout(dataDir).auth, 'utf8')));
    if (stored) return stored;
  } catch {
    // Not started yet: derive it from the template below.
  }
  // Only without a started runtime: the synth cache check needs esbuild.
  const { loadTemplate } = await import('../template/load');
  const loaded = await loadTemplate({
    projectRoot: PROJECT_ROOT,
    cacheDir: TEMPLATE_CACHE_DIR,
    logger: silentLogger,
  });
  return issuerConfig(new LocalTemplate(loaded.stackName, loaded.template));
}

/** The runtime's clock offset from the data folder, so a minted token is valid at the runtime's "now". */
export async function clockOffsetFor(dataDir: string): Promise<number> {
  try {
    const parsed = parseJson(await readFile(dataLayout(dataDir).clock, 'utf8'));
    const offset = isJsonObject(parsed) ? parsed.offsetMs : undefined;
    return typeof offset === 'number' && Number.isFinite(offset) ? offset : 0;
  } catch {
    return 0;
  }
}
