import { link, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { partialNameFor, syncDirectory } from '../atomic-file';

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
 * Crash-safe: the key is flushed to a temporary file that is then hard-linked into place (atomic,
 * and refused if a key is already there); a torn file from an older version is set aside.
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
  await setAsideUnreadable(file);
  const raced = await read();
  if (raced) return raced;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const kid = `local-${Date.now().toString(36)}`;
  await mkdir(join(dataDir, 'auth'), { recursive: true });
  const partial = partialNameFor(file);
  const handle = await open(partial, 'wx', 0o600);
  try {
    await handle.writeFile(JSON.stringify({ kid, alg: 'RS256', privateJwk }, null, 2));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(partial, file);
    await syncDirectory(join(dataDir, 'auth'));
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
  } finally {
    await rm(partial, { force: true });
  }
  const stored = await read();
  if (!stored) throw new Error(`cannot read ${file}`);
  return stored;
}

/** A key file that exists but cannot be read (cut off by a crash before writes were atomic) is kept aside, not reused. */
async function setAsideUnreadable(file: string): Promise<void> {
  try {
    await rename(file, `${file}.unreadable-${Date.now()}`);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
  }
}
