import { parseArgs } from 'node:util';
import { clockOffsetFor, issuerConfigFor } from '#local/auth/issuer';
import { loadOrCreateSigningKey } from '#local/auth/keys';
import { mintToken, TokenRequestError } from '#local/auth/tokens';
import { parseDuration } from '#local/clock';
import { DEFAULT_DATA_DIR } from '#local/config';
import { EXIT_OK, type Output, UsageError } from '../errors';

export const tokenHelp = `indeks token --role <peran/role> [--region <kode>] [--province <PP>] [--data-dir <folder>] [--token-use id|access] [--ttl PT12H]

Mencetak token pengembangan yang diterima API lokal (penerbit lokal, kunci di folder data).
Prints a development token the local API accepts (local issuer, key kept in the data folder).

  --role        operator | assessor | leadership | admin (grup user pool / user pool groups)
  --region      kode wilayah Kemendagri, wajib untuk operator (contoh 18.01) / required for operators
  --province    provinsi asal penilai (contoh 18; tidak boleh memverifikasi wilayahnya) / an assessor's home province
  --token-use   id (bawaan/default, memuat custom:region) atau/or access
  --ttl         masa berlaku / lifetime, ISO-8601 (bawaan/default PT12H)

Contoh / example: curl -H "Authorization: Bearer $(npx indeks token --role admin)" http://127.0.0.1:3000/cycles
Exit: 0 ok, 2 salah pemakaian / wrong usage`;

export async function tokenCommand(args: string[], io: Output): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      role: { type: 'string' },
      region: { type: 'string' },
      province: { type: 'string' },
      'data-dir': { type: 'string' },
      'token-use': { type: 'string' },
      ttl: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.role) throw new UsageError('Opsi --role wajib diisi.', 'The --role option is required.');
  const tokenUse = values['token-use'] ?? 'id';
  if (tokenUse !== 'id' && tokenUse !== 'access') {
    throw new UsageError('--token-use harus id atau access.', '--token-use must be id or access.');
  }
  let ttlSeconds = 12 * 3600;
  if (values.ttl) {
    try {
      ttlSeconds = Math.round(parseDuration(values.ttl) / 1000);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new UsageError(message, message);
    }
  }
  const dataDir = values['data-dir'] ?? DEFAULT_DATA_DIR;
  const [key, issuer, offset] = await Promise.all([
    loadOrCreateSigningKey(dataDir),
    issuerConfigFor(dataDir),
    clockOffsetFor(dataDir),
  ]);
  try {
    const token = await mintToken(key, issuer, {
      role: values.role,
      ...(values.region ? { region: values.region } : {}),
      ...(values.province ? { province: values.province } : {}),
      tokenUse,
      ttlSeconds,
      now: Date.now() + offset,
    });
    io.out(values.json ? JSON.stringify({ token, issuer: issuer.issuer, clientId: issuer.clientId }) : token);
  } catch (error) {
    if (error instanceof TokenRequestError) throw new UsageError(error.message_id, error.message_en);
    throw error;
  }
  return EXIT_OK;
}
