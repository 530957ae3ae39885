import { parseArgs } from 'node:util';
import { listMethodologies } from '#domain/methodology/registry';
import { EXIT_OK, type Output } from '../errors';

export const methodologiesHelp = `indeks methodologies [--json]

Daftar metodologi yang dikirim bersama Indeks, dengan hash isinya.
Lists the shipped methodologies with their content hashes.`;

export function methodologiesCommand(args: string[], io: Output): number {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
  const rows = listMethodologies().map((m) => ({
    id: m.id,
    index: m.index,
    period: m.period,
    version: m.version,
    name: m.name.id,
    hash: m.hash,
    indicators: m.indicators.length,
    illustrative: m.disclaimer !== undefined,
  }));
  if (values.json) io.out(JSON.stringify(rows, null, 2));
  else
    for (const r of rows)
      io.out(`${r.id.padEnd(10)} ${String(r.period).padEnd(5)} v${r.version.padEnd(7)} ${r.hash}  ${r.name}`);
  return EXIT_OK;
}
