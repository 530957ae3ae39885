import { callApi } from '../api-client';
import { EXIT_OK, type Output, UsageError } from '../errors';
import { CYCLE_OPTION, giveCycle, parseApiArgs } from './api-args';

export const notAdmittedHelp = `indeks not-admitted --cycle <cycleId> [--status NOT_GRANTED|LATE] [--json] [--token <jwt>]

Daftar unggahan siklus (semua wilayah) yang disimpan tetapi tidak diterima: NOT_GRANTED (tidak
cocok dengan izin unggah) dan LATE (tiba setelah jendela tutup), berkas data dan bukti, dengan
alasannya (admin). Tanpa --status: keduanya.
Lists the cycle's uploads (every region) kept but not admitted: NOT_GRANTED (no upload grant
matches) and LATE (arrived after the window closed), data and evidence files, with the reason
(admin). Without --status: both.
API: INDEKS_API, token: INDEKS_TOKEN.`;

const STATUSES = ['NOT_GRANTED', 'LATE'] as const;
type Status = (typeof STATUSES)[number];

interface NotAdmittedItem {
  kind: 'data' | 'evidence';
  kode: string;
  fileName?: string;
  key: string;
  uploadedAt: string;
  uploadedBy?: string;
  submissionId?: string;
  admission: { reason_id: string; reason_en: string };
}

interface NotAdmittedPage {
  cycleId: string;
  status: Status;
  items: NotAdmittedItem[];
  cursor?: string;
}

export async function notAdmittedCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals, target } = parseApiArgs(args, {
    cycle: CYCLE_OPTION,
    status: { type: 'string' },
  });
  if (!values.cycle || positionals.length > 0) throw giveCycle();
  const status = values.status;
  if (status !== undefined && !STATUSES.includes(status as Status))
    throw new UsageError('--status adalah NOT_GRANTED atau LATE.', '--status is NOT_GRANTED or LATE.');
  const cycle = encodeURIComponent(values.cycle);
  const listed: { status: Status; items: NotAdmittedItem[] }[] = [];
  for (const s of status ? [status as Status] : STATUSES) {
    const items: NotAdmittedItem[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ status: s, limit: '100', ...(cursor ? { cursor } : {}) });
      const { body } = await callApi<NotAdmittedPage>(
        target,
        'GET',
        `/cycles/${cycle}/submissions/not-admitted?${query}`,
      );
      items.push(...body.items);
      cursor = body.cursor;
    } while (cursor);
    listed.push({ status: s, items });
  }
  if (values.json) {
    io.out(JSON.stringify({ cycleId: values.cycle, statuses: listed }, null, 2));
    return EXIT_OK;
  }
  for (const { status: s, items } of listed) {
    io.out(`${values.cycle} ${s}: ${items.length} berkas / files`);
    for (const i of items) {
      io.out(
        `  ${i.kode}  ${i.kind === 'data' ? 'data' : 'bukti/evidence'}  ${i.fileName ?? i.key}  ${i.uploadedAt}  ${i.uploadedBy ?? '-'}`,
      );
      io.out(`      ${i.admission.reason_id} / ${i.admission.reason_en}`);
    }
  }
  return EXIT_OK;
}
