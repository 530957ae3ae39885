import { callApi } from '../api-client';
import { EXIT_OK, type Output, UsageError } from '../errors';
import { CYCLE_OPTION, giveCycle, parseApiArgs } from './api-args';

export const redriveHelp = `indeks redrive --cycle <cycleId> [--stuck-after <minutes>] [--json] [--token <jwt>]

Memulihkan pengajuan yang macet (UPLOADED/VALIDATING/ACCEPTED lebih lama dari --stuck-after menit,
bawaan 15) dan berkas di submissions/ tanpa catatan, sampai status akhir (admin). Aman diulang.
Drives stuck submissions (UPLOADED/VALIDATING/ACCEPTED longer than --stuck-after minutes, default 15)
and objects under submissions/ without a record to a terminal status (admin). Safe to repeat.
API: INDEKS_API, token: INDEKS_TOKEN.`;

interface RedriveReport {
  cycleId: string;
  stuckAfterMinutes: number;
  submissions: { kode: string; submissionId: string; status: string; outcome: string }[];
  unrecorded: { key: string; kode: string }[];
}

export async function redriveCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals, target } = parseApiArgs(args, {
    cycle: CYCLE_OPTION,
    'stuck-after': { type: 'string' },
  });
  if (!values.cycle || positionals.length > 0) throw giveCycle();
  const stuck = values['stuck-after'];
  const minutes = stuck === undefined ? undefined : Number(stuck);
  if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440))
    throw new UsageError(
      '--stuck-after adalah jumlah menit 0–1440.',
      '--stuck-after is a number of minutes, 0–1440.',
    );
  const { body } = await callApi<RedriveReport>(
    target,
    'POST',
    `/cycles/${encodeURIComponent(values.cycle)}/submissions/redrive`,
    { body: minutes === undefined ? {} : { stuckAfterMinutes: minutes } },
  );
  if (values.json) {
    io.out(JSON.stringify(body, null, 2));
    return EXIT_OK;
  }
  const by = (outcome: string) => body.submissions.filter((s) => s.outcome === outcome).length;
  io.out(
    `${body.cycleId}: ${by('redriven')} dijalankan ulang / redriven, ${by('running')} masih berjalan / still running, ` +
      `${by('failed')} FAILED, ${body.unrecorded.length} berkas tanpa catatan diproses / unrecorded objects ingested ` +
      `(macet setelah / stuck after ${body.stuckAfterMinutes} min)`,
  );
  for (const s of body.submissions) io.out(`  ${s.kode}  ${s.submissionId}  ${s.status} → ${s.outcome}`);
  for (const o of body.unrecorded) io.out(`  ${o.kode}  ${o.key}  → ingested`);
  return EXIT_OK;
}
