import iid2023 from '../../../methodologies/iid-2023.json';
import iid2026 from '../../../methodologies/iid-2026.json';
import ikkd2020 from '../../../methodologies/ikkd-2020.json';
import ipkd2020 from '../../../methodologies/ipkd-2020.json';
import { DomainError } from '../errors';
import { type LoadedMethodology, parseMethodology } from './load';

/** The methodologies shipped with the project, parsed (and so checked) on first use. */
const SOURCES: Record<string, unknown> = {
  'iid-2023': iid2023,
  'iid-2026': iid2026,
  'ikkd-2020': ikkd2020,
  'ipkd-2020': ipkd2020,
};

const loaded = new Map<string, LoadedMethodology>();

export function getMethodology(id: string): LoadedMethodology | undefined {
  const hit = loaded.get(id);
  if (hit) return hit;
  const source = SOURCES[id];
  if (source === undefined) return undefined;
  const methodology = parseMethodology(source, `methodologies/${id}.json`);
  loaded.set(id, methodology);
  return methodology;
}

export const methodologyIds = (): string[] => Object.keys(SOURCES).sort();

export const listMethodologies = (): LoadedMethodology[] =>
  methodologyIds().map((id) => getMethodology(id) as LoadedMethodology);

/**
 * The methodology a cycle (or a run) was made with, exactly: the same id and the same content
 * hash. A deployment whose file differs would validate and score with other rules, so every step
 * refuses it the same way (every result must be reproducible from the methodology it names): a
 * `DomainError` conflict whose code is also the Step Functions error name.
 */
export function frozenMethodology(
  ref: { id: string; hash: string },
  lookup: (id: string) => LoadedMethodology | undefined = getMethodology,
): LoadedMethodology {
  const methodology = lookup(ref.id);
  if (!methodology)
    throw new DomainError(
      'conflict',
      'METHODOLOGY_UNAVAILABLE',
      `Metodologi ${ref.id} tidak terpasang pada sistem ini; hubungi admin.`,
      `Methodology ${ref.id} is not installed on this system; contact the admin.`,
    );
  if (methodology.hash !== ref.hash)
    throw new DomainError(
      'conflict',
      'METHODOLOGY_CHANGED',
      `Metodologi ${ref.id} yang terpasang (${methodology.hash}) berbeda dengan saat siklus dibuat (${ref.hash}); hasil tidak akan dapat direproduksi. Hubungi admin.`,
      `The installed methodology ${ref.id} (${methodology.hash}) differs from the one the cycle was created with (${ref.hash}); results would not be reproducible. Contact the admin.`,
    );
  return methodology;
}
