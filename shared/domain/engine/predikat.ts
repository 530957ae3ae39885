import type { Methodology } from '../methodology/schema';

export interface PredikatResult {
  label: string;
  en: string;
}

/** Bands apply to the published value (rounded); ranking uses full precision elsewhere. */
export function predikatOf(
  m: Pick<Methodology, 'predikat'>,
  displayed: number,
  assessable: boolean,
): PredikatResult {
  const fallback = { label: m.predikat.notAssessable.label, en: m.predikat.notAssessable.en };
  if (!assessable) return fallback;
  for (const band of m.predikat.bands) {
    if (displayed >= band.min && displayed <= band.max) return { label: band.label, en: band.en };
  }
  return fallback;
}
