import { S3Error } from './errors';

/**
 * S3 sub-resources of an object or a bucket that this server does not keep. Each is refused as
 * NotImplemented instead of falling through to the object or bucket itself: a `PUT ?tagging` (or
 * `?acl`, `?retention`) would otherwise have stored its XML body as the object, overwriting the
 * original, and a `GET ?policy` would have answered a listing.
 */
const OBJECT_SUBRESOURCES = [
  'acl',
  'attributes',
  'legal-hold',
  'restore',
  'retention',
  'select',
  'tagging',
  'torrent',
] as const;
const BUCKET_SUBRESOURCES = [
  'accelerate',
  'acl',
  'analytics',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'lifecycle',
  'logging',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'tagging',
  'website',
] as const;

/** An object has no tags here; S3 answers an untagged object's GET ?tagging with an empty set. */
export const isObjectTaggingRead = (method: string, query: ReadonlyMap<string, string>): boolean =>
  method === 'GET' && query.has('tagging');

export function refuseUnimplemented(query: ReadonlyMap<string, string>, of: 'object' | 'bucket'): void {
  const names = of === 'object' ? OBJECT_SUBRESOURCES : BUCKET_SUBRESOURCES;
  const asked = names.find((name) => query.has(name));
  if (asked)
    throw new S3Error(
      501,
      'NotImplemented',
      `The local S3 does not implement the ${of} sub-resource "${asked}".`,
    );
}
