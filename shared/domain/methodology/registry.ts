import iid2023 from '../../../methodologies/iid-2023.json';
import iid2026 from '../../../methodologies/iid-2026.json';
import ikkd2020 from '../../../methodologies/ikkd-2020.json';
import ipkd2020 from '../../../methodologies/ipkd-2020.json';
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
