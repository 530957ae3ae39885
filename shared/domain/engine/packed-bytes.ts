import type { PackedGroup, PackedSubmission } from './packed';

/**
 * The stored bytes of a packed submission (docs/architecture.md, "Packed submissions"), little-endian:
 *
 *     0  "IDXP"                magic
 *     4  u16 version           PACKED_FORMAT_VERSION
 *     6  u16 0                 reserved
 *     8  u32 H                 header length
 *    12  header               UTF-8 JSON: methodology {id, hash}, region, period, profile,
 *                             assessable, slots, groups [{group, items, width, covered}]
 *        padding to 8 bytes
 *        f64[slots]  values        (NaN: no value)
 *        f64[slots]  surveyValid
 *        f64[slots]  surveyTotal
 *        u8[slots]   levels        (0: no points)
 *        per group:  u8[items] rejected, u8[items x width] levels (row by row)
 *
 * A reader refuses another magic or version, and lengths that do not add up (PackedFormatError):
 * the caller then packs again from the canonical JSON.
 */
export const PACKED_FORMAT_VERSION = 1;
const MAGIC = 0x50584449; // "IDXP" read as a little-endian u32

export class PackedFormatError extends Error {
  override name = 'PackedFormatError';
}

interface Header {
  methodology: { id: string; hash: string };
  region: string;
  period: number;
  profile: Record<string, string>;
  assessable: boolean;
  slots: number;
  groups: { group: string; items: number; width: number; covered: string[] }[];
}

const align8 = (n: number) => (n + 7) & ~7;

export function encodePacked(p: PackedSubmission): Uint8Array {
  const slots = p.levels.length;
  const header: Header = {
    methodology: p.methodology,
    region: p.region,
    period: p.period,
    profile: p.profile,
    assessable: p.assessable,
    slots,
    groups: p.groups.map((g) => ({
      group: g.group,
      items: g.items,
      width: g.items === 0 ? 0 : g.levels.length / g.items,
      covered: g.covered,
    })),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = align8(12 + json.length);
  const size =
    start + 24 * slots + slots + p.groups.reduce((n, g) => n + g.rejected.length + g.levels.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint16(4, PACKED_FORMAT_VERSION, true);
  view.setUint32(8, json.length, true);
  out.set(json, 12);
  let at = start;
  for (const column of [p.values, p.surveyValid, p.surveyTotal]) {
    for (let i = 0; i < slots; i++) view.setFloat64(at + 8 * i, column[i] as number, true);
    at += 8 * slots;
  }
  out.set(p.levels, at);
  at += slots;
  for (const g of p.groups) {
    out.set(g.rejected, at);
    at += g.rejected.length;
    out.set(g.levels, at);
    at += g.levels.length;
  }
  return out;
}

/** Reads the bytes back; the typed arrays are views over one aligned copy (no per-cell work). */
export function decodePacked(input: Uint8Array): PackedSubmission {
  if (input.byteLength < 12) throw new PackedFormatError('packed submission shorter than its preamble');
  // Float64 views need an 8-aligned offset: S3 bodies and Buffer pools give none, so copy once.
  const bytes = input.byteOffset % 8 === 0 ? input : input.slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new PackedFormatError('not a packed submission');
  const version = view.getUint16(4, true);
  if (version !== PACKED_FORMAT_VERSION)
    throw new PackedFormatError(
      `packed format version ${version}, this reader knows ${PACKED_FORMAT_VERSION}`,
    );
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.byteLength) throw new PackedFormatError('header runs past the end');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as Header;
  } catch {
    throw new PackedFormatError('header is not JSON');
  }
  const slots = header.slots;
  const expected =
    align8(12 + headerLength) +
    25 * slots +
    header.groups.reduce((n, g) => n + g.items + g.items * g.width, 0);
  if (!Number.isInteger(slots) || expected !== bytes.byteLength)
    throw new PackedFormatError(`length ${bytes.byteLength}, the header describes ${expected}`);
  let at = bytes.byteOffset + align8(12 + headerLength);
  const f64 = () => {
    const a = new Float64Array(bytes.buffer, at, slots);
    at += 8 * slots;
    return a;
  };
  const u8 = (length: number) => {
    const a = new Uint8Array(bytes.buffer, at, length);
    at += length;
    return a;
  };
  const values = f64();
  const surveyValid = f64();
  const surveyTotal = f64();
  const levels = u8(slots);
  const groups: PackedGroup[] = header.groups.map((g) => ({
    group: g.group,
    items: g.items,
    rejected: u8(g.items),
    levels: u8(g.items * g.width),
    covered: g.covered,
  }));
  return {
    methodology: header.methodology,
    region: header.region,
    period: header.period,
    profile: header.profile,
    assessable: header.assessable,
    levels,
    values,
    surveyValid,
    surveyTotal,
    groups,
  };
}
