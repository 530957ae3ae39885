import { createHash, randomUUID } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import { findRegion } from '#domain/regions';
import type { SigningKey } from './keys';

/** Claim binding an operator to a region (the user pool's custom attribute `region`). */
export const REGION_CLAIM = 'custom:region';
/** An assessor's home province (conflict of interest: never verifies a region there). */
export const PROVINCE_CLAIM = 'custom:province';

export interface IssuerConfig {
  /** `https://cognito-idp.<region>.amazonaws.com/<pool id>`, resolved from the template's authorizer. */
  issuer: string;
  /** The user pool client id the authorizer accepts (`aud` of ID tokens, `client_id` of access tokens). */
  clientId: string;
  /** Group names of the user pool (roles). */
  groups: readonly string[];
}

export interface TokenRequest {
  role: string;
  /** Kemendagri code (`18.01`); required for operators. */
  region?: string;
  /** Province code (`18`): an assessor's home province. */
  province?: string;
  tokenUse?: 'id' | 'access';
  ttlSeconds?: number;
  /** Epoch milliseconds to issue at (the runtime's clock). */
  now?: number;
  /** OIDC `nonce` of the sign-in request, echoed in the ID token. */
  nonce?: string;
}

export class TokenRequestError extends Error {
  constructor(
    readonly message_id: string,
    readonly message_en: string,
  ) {
    super(message_en);
    this.name = 'TokenRequestError';
  }
}

const uuidFrom = (text: string) => {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * A token shaped like the Cognito user pool's (ID token by default: `cognito:groups`,
 * `custom:region`, `aud` = client id, `token_use`), signed by the local issuer. The same user
 * (role and region) always gets the same `sub`.
 */
export async function mintToken(
  key: SigningKey,
  config: IssuerConfig,
  request: TokenRequest,
): Promise<string> {
  if (!config.groups.includes(request.role)) {
    throw new TokenRequestError(
      `Peran "${request.role}" tidak dikenal; pilih salah satu: ${config.groups.join(', ')}.`,
      `Unknown role "${request.role}"; choose one of: ${config.groups.join(', ')}.`,
    );
  }
  if (request.region !== undefined && !findRegion(request.region)) {
    throw new TokenRequestError(
      `Kode wilayah "${request.region}" tidak ada dalam daftar Kemendagri (contoh: 18.01).`,
      `Region code "${request.region}" is not in the Kemendagri list (example: 18.01).`,
    );
  }
  if (request.role === 'operator' && request.region === undefined) {
    throw new TokenRequestError(
      'Operator harus terikat pada satu wilayah: tambahkan --region (contoh: 18.01).',
      'An operator is bound to one region: add --region (example: 18.01).',
    );
  }
  if (request.province !== undefined && !/^\d{2}$/.test(request.province)) {
    throw new TokenRequestError(
      `Kode provinsi "${request.province}" tidak sah (contoh: 18).`,
      `Province code "${request.province}" is not valid (example: 18).`,
    );
  }
  const now = Math.floor((request.now ?? Date.now()) / 1000);
  const user = `${request.role}${request.region ? `.${request.region}` : ''}${request.province ? `.p${request.province}` : ''}`;
  const sub = uuidFrom(`indeks-local:${user}`);
  const tokenUse = request.tokenUse ?? 'id';
  const common = {
    sub,
    'cognito:groups': [request.role],
    token_use: tokenUse,
    auth_time: now,
    event_id: randomUUID(),
    origin_jti: randomUUID(),
  };
  const claims =
    tokenUse === 'id'
      ? {
          ...common,
          'cognito:username': sub,
          email: `${user}@indeks.local`,
          email_verified: true,
          name: `Pengguna lokal ${user}`,
          ...(request.region ? { [REGION_CLAIM]: request.region } : {}),
          ...(request.province ? { [PROVINCE_CLAIM]: request.province } : {}),
          ...(request.nonce ? { nonce: request.nonce } : {}),
        }
      : { ...common, client_id: config.clientId, scope: 'aws.cognito.signin.user.admin', username: sub };
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .setIssuer(config.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + (request.ttlSeconds ?? 12 * 3600))
    .setJti(randomUUID());
  if (tokenUse === 'id') jwt.setAudience(config.clientId);
  return jwt.sign(await importJWK(key.privateJwk, key.alg));
}
