import { readFile } from 'node:fs/promises';
import { describeVerdict, parseJsonl, verifyChain } from '#domain/ledger/index';
import { type ApiTarget, callApi } from '../api-client';
import { EXIT_INVALID, EXIT_OK, type Output, UsageError } from '../errors';
import { parseApiArgs } from './api-args';

export const ledgerHelp = `indeks ledger verify --cycle <cycleId> [--token <jwt>] [--json]
indeks ledger verify <ledger.jsonl> [--json]

Menghitung ulang rantai hash buku besar siklus (lewat API, admin atau pimpinan) atau berkas ekspor
(ledger.jsonl). Mencetak "ledger intact: N entries, head <hash>" atau entri pertama yang rusak dan
sebabnya (diubah, rantai putus, hilang, urutan berubah, ganda).
Recomputes the hash chain of a cycle's ledger (through the API, admin or leadership) or of an
exported file (ledger.jsonl). Prints "ledger intact: N entries, head <hash>" or the first broken
entry and why (altered, broken link, missing, reordered, duplicate).
API: INDEKS_API, token: INDEKS_TOKEN. Exit: 0 intact, 1 broken, 2 wrong usage`;

export async function ledgerCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals, target } = parseApiArgs(args, { cycle: { type: 'string' } });
  const [action, file, ...rest] = positionals;
  if (action !== 'verify' || rest.length > 0 || Boolean(file) === Boolean(values.cycle))
    throw new UsageError(
      'Pakai: indeks ledger verify --cycle C, atau indeks ledger verify BERKAS.jsonl.',
      'Usage: indeks ledger verify --cycle C, or indeks ledger verify FILE.jsonl.',
    );
  const entries = file
    ? parseJsonl(await readFile(file, 'utf8'))
    : await fromApi(target, String(values.cycle));
  const verdict = verifyChain(entries);
  io.out(values.json ? JSON.stringify(verdict, null, 2) : describeVerdict(verdict));
  return verdict.intact ? EXIT_OK : EXIT_INVALID;
}

async function fromApi(target: ApiTarget, cycleId: string): Promise<unknown[]> {
  const { body } = await callApi<{ entries: unknown[] }>(
    target,
    'GET',
    `/cycles/${encodeURIComponent(cycleId)}/ledger`,
  );
  return body.entries;
}
