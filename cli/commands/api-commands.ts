import { callApi } from '../api-client';
import { EXIT_OK, type Output, UsageError } from '../errors';
import { CYCLE_OPTION, parseApiArgs } from './api-args';

/** Read commands over the HTTP API; `--json` prints the API's answer as it is. */

export const cyclesHelp = `indeks cycles [<cycleId>] [--json] [--token <jwt>]
indeks cycles create --methodology <id> --opens <YYYY-MM-DD> --closes <YYYY-MM-DD> --run <YYYY-MM-DD> [--id <cycleId>]

Daftar siklus penilaian, rincian satu siklus, atau membuat siklus (admin).
Lists assessment cycles, shows one, or creates one (admin). API: INDEKS_API, token: INDEKS_TOKEN.`;

export async function cyclesCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals, target } = parseApiArgs(args, {
    methodology: { type: 'string', short: 'm' },
    opens: { type: 'string' },
    closes: { type: 'string' },
    run: { type: 'string' },
    id: { type: 'string' },
  });
  const [first, ...rest] = positionals;
  if (first === 'create') {
    if (!values.methodology || !values.opens || !values.closes || !values.run)
      throw new UsageError(
        'Isi --methodology, --opens, --closes dan --run.',
        'Give --methodology, --opens, --closes and --run.',
      );
    const { body } = await callApi(target, 'POST', '/cycles', {
      body: {
        methodologyId: values.methodology,
        ...(values.id ? { cycleId: values.id } : {}),
        calendar: { opensAt: values.opens, closesAt: values.closes, nationalRunAt: values.run },
      },
    });
    io.out(JSON.stringify(body, null, 2));
    return EXIT_OK;
  }
  if (rest.length > 0) throw new UsageError('Terlalu banyak argumen.', 'Too many arguments.');
  if (first) {
    const { body } = await callApi(target, 'GET', `/cycles/${encodeURIComponent(first)}`);
    io.out(JSON.stringify(body, null, 2));
    return EXIT_OK;
  }
  const { body } = await callApi<{ items: Record<string, unknown>[] }>(target, 'GET', '/cycles');
  if (values.json) io.out(JSON.stringify(body, null, 2));
  else
    for (const c of body.items ?? [])
      io.out(
        [c.cycleId, c.status, c.methodology && (c.methodology as { id?: string }).id, c.name]
          .filter(Boolean)
          .join('  '),
      );
  return EXIT_OK;
}

export const statusHelp = `indeks status --cycle <cycleId> --region <kode> [--submission <id>] [--json] [--token <jwt>]

Status pengajuan wilayah: riwayat status, masalah validasi, skor sementara.
A region's submissions: status history, validation problems, provisional score.`;

export async function statusCommand(args: string[], io: Output): Promise<number> {
  const { values, target } = parseApiArgs(
    args,
    {
      cycle: CYCLE_OPTION,
      region: { type: 'string', short: 'r' },
      submission: { type: 'string', short: 's' },
    },
    { positionals: false },
  );
  if (!values.cycle || !values.region)
    throw new UsageError('Isi --cycle dan --region.', 'Give --cycle and --region.');
  const base = `/cycles/${encodeURIComponent(values.cycle)}/regions/${encodeURIComponent(values.region)}/submissions`;
  const path = values.submission ? `${base}/${encodeURIComponent(values.submission)}` : base;
  const { body } = await callApi<Record<string, unknown>>(target, 'GET', path);
  if (values.json || values.submission) {
    io.out(JSON.stringify(body, null, 2));
    return EXIT_OK;
  }
  const items = (body.items ?? []) as Record<string, unknown>[];
  if (items.length === 0) io.out('Belum ada pengajuan / no submissions yet.');
  for (const s of items)
    io.out([s.submissionId, s.status, s.uploadedAt, s.fileName].filter(Boolean).join('  '));
  return EXIT_OK;
}

export const resultsHelp = `indeks results --cycle <cycleId> [--cluster kabupaten] [--province 18] [--region <kode>] [--limit 20] [--json] [--token <jwt>]

Peringkat per klaster, atau kartu skor satu wilayah (--region).
Rankings per cluster, or one region's score card (--region).`;

export async function resultsCommand(args: string[], io: Output): Promise<number> {
  const { values, target } = parseApiArgs(
    args,
    {
      cycle: CYCLE_OPTION,
      cluster: { type: 'string', default: 'kabupaten' },
      province: { type: 'string' },
      region: { type: 'string', short: 'r' },
      limit: { type: 'string', default: '20' },
    },
    { positionals: false },
  );
  if (!values.cycle) throw new UsageError('Isi --cycle.', 'Give --cycle.');
  const cycle = encodeURIComponent(values.cycle);
  if (values.region) {
    const { body } = await callApi(
      target,
      'GET',
      `/cycles/${cycle}/regions/${encodeURIComponent(values.region)}`,
    );
    io.out(JSON.stringify(body, null, 2));
    return EXIT_OK;
  }
  const query = new URLSearchParams({ cluster: values.cluster, limit: values.limit });
  if (values.province) query.set('province', values.province);
  const { body } = await callApi<{ entries?: Record<string, unknown>[]; items?: Record<string, unknown>[] }>(
    target,
    'GET',
    `/cycles/${cycle}/rankings?${query}`,
  );
  if (values.json) {
    io.out(JSON.stringify(body, null, 2));
    return EXIT_OK;
  }
  for (const e of body.entries ?? body.items ?? [])
    io.out(
      `${String(e.rank ?? '-').padStart(4)}  ${String(e.display ?? '').padStart(7)}  ${e.predikat ?? ''}  ${e.kode ?? e.region} ${e.nama ?? ''}`,
    );
  return EXIT_OK;
}
