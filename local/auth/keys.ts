import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export interface SigningKey {
  kid: string;
  alg: 'RS256';
  privateJwk: JWK;
  publicJwk: JWK;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;

function publicOf(jwk: JWK): JWK {
  const copy: JWK = { ...jwk };
  for (const member of PRIVATE_MEMBERS) delete copy[member];
  return copy;
}

function isKeyFile(value: unknown): value is { kid: string; privateJwk: JWK } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof Reflect.get(value, 'kid') === 'string' &&
    typeof Reflect.get(value, 'privateJwk') === 'object'
  );
}

export const keyFile = (dataDir: string) => join(dataDir, 'auth', 'signing-key.json');

/**
 * The local issuer's RS256 key pair: generated on first use and kept under the data folder, so
 * tokens minted by `indeks token` (another process) verify in the running API, and stay valid
 * across restarts. Written exclusively: two processes racing both end up with the same key.
 */
export async function loadOrCreateSigningKey(dataDir: string): Promise<SigningKey> {
  const file = keyFile(dataDir);
  const read = async (): Promise<SigningKey | undefined> => {
    try {
      const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
      if (!isKeyFile(parsed)) return undefined;
      return {
        kid: parsed.kid,
        alg: 'RS256',
        privateJwk: parsed.privateJwk,
        publicJwk: { ...publicOf(parsed.privateJwk), kid: parsed.kid, alg: 'RS256', use: 'sig' },
      };
    } catch {
      return undefined;
    }
  };
  const existing = await read();
  if (existing) return existing;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const kid = `local-${Date.now().toString(36)}`;
  await mkdir(join(dataDir, 'auth'), { recursive: true });
  try {
    await writeFile(file, JSON.stringify({ kid, alg: 'RS256', privateJwk }, null, 2), {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
  }
  const stored = await read();
  if (!stored) throw new Error(`cannot read ${file}`);
  return stored;
}
