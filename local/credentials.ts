/**
 * The local access keys (documented in local/README.md, printed by `indeks start`): every local
 * client signs with them, and the local S3 accepts only them (SigV4 as AWS checks it).
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
