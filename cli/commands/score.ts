import { parseArgs } from 'node:util';
import { type ScoreCard, score } from '#domain/engine/index';
import type { NodeTrace } from '#domain/engine/trace';
import { type LoadedMethodology, zodProblems } from '#domain/methodology/load';
import { ProblemError, problem } from '#domain/problems';
import { findRegion } from '#domain/regions';
import { canonicalSpelling } from '#domain/spelling';
import { type Submission, submissionSchema } from '#domain/submission';
import { EXIT_OK, formatProblem, type Output, UsageError } from '../errors';
import { readJson, resolveMethodology } from '../load';

export const scoreHelp = `indeks score <file.json> --methodology <id|path> [--region <kode>] [--json]

Menghitung indeks satu pengajuan dengan jejak perhitungannya.
Scores one submission (canonical JSON) and shows how every number was derived.

  --methodology, -m  id metodologi (lihat "indeks methodologies") atau jalur berkas .json
  --region, -r       kode wilayah Kemendagri; wajib sama dengan isi berkas bila berkas memuatnya
  --json             satu objek JSON: index, display, predikat, breakdown, warnings
Exit: 0 ok, 1 input tidak sah / invalid input, 2 salah pemakaian / wrong usage`;

export function scoreCommand(args: string[], io: Output): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      methodology: { type: 'string', short: 'm' },
      region: { type: 'string', short: 'r' },
      json: { type: 'boolean', default: false },
    },
  });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0)
    throw new UsageError('Sebutkan tepat satu berkas pengajuan.', 'Give exactly one submission file.');
  if (!values.methodology)
    throw new UsageError('Opsi --methodology wajib diisi.', 'The --methodology option is required.');
  const methodology = resolveMethodology(values.methodology);
  const submission = readSubmission(file, values.region, methodology);
  const card = score(methodology, submission);
  if (values.json) io.out(JSON.stringify(card, null, 2));
  else io.out(renderCard(card));
  return EXIT_OK;
}

function readSubmission(
  file: string,
  region: string | undefined,
  methodology: LoadedMethodology,
): Submission {
  const raw = readJson(file);
  const input =
    raw && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as Record<string, unknown>) } : raw;
  if (input && typeof input === 'object' && !Array.isArray(input)) {
    // The command line already says which methodology; a file may leave it (and its period) out.
    const record = input as Record<string, unknown>;
    record.methodology ??= methodology.id;
    record.period ??= methodology.period;
  }
  if (region !== undefined && input && typeof input === 'object' && !Array.isArray(input)) {
    const record = input as Record<string, unknown>;
    if (record.region === undefined) record.region = region;
    else if (record.region !== region)
      throw new ProblemError('submission', [
        problem(
          'REGION_MISMATCH',
          'error',
          { file, path: 'region' },
          `Kode wilayah dalam berkas (${String(record.region)}) berbeda dengan --region ${region}.`,
          `The region code in the file (${String(record.region)}) differs from --region ${region}.`,
        ),
      ]);
  }
  const parsed = submissionSchema.safeParse(input);
  if (!parsed.success) throw new ProblemError('submission', zodProblems(parsed.error, file));
  return canonicalSpelling(parsed.data, methodology);
}

const num = (v: number | null, digits = 4) =>
  v === null ? '-' : String(Math.round(v * 10 ** digits) / 10 ** digits);

export function renderCard(card: ScoreCard): string {
  const region = findRegion(card.region);
  const lines = [
    `${card.methodology.id} v${card.methodology.version}  ${card.methodology.hash}`,
    `Daerah / region     : ${card.region} ${region?.nama ?? '(tidak dikenal / unknown)'}`,
    `Indeks / index      : ${card.display}   (presisi penuh / full precision ${card.index})`,
    `Predikat            : ${card.predikat} (${card.predikatEn})`,
    `Total mentah / raw  : ${num(card.rawTotal)} / ${num(card.rawMax)} x ${card.scale}`,
  ];
  if (card.provisional)
    lines.push('Status              : sementara / provisional (menunggu penilaian nasional)');
  if (card.ineligibility.length > 0) {
    lines.push('Tidak memenuhi syarat / ineligible (tanpa peringkat / unranked):');
    for (const r of card.ineligibility) lines.push(`  - ${r.message_id} / ${r.message_en}`);
  }
  if (card.surveyBelowMinimum)
    lines.push(
      'Tanpa peringkat / unranked: survei di bawah jumlah minimum responden / survey below the minimum (survey-below-minimum)',
    );
  if (card.methodology.disclaimer) lines.push(`Catatan / note      : ${card.methodology.disclaimer}`);
  lines.push(
    '',
    `${pad('Simpul / node', 44) + pad('Skor', 11) + pad('Maks', 9) + pad('Bobot', 7)}Kontribusi  Keterangan`,
  );
  renderNode(card.breakdown, 0, lines);
  if (card.warnings.length > 0) {
    lines.push('', `${card.warnings.length} peringatan / warnings:`);
    for (const w of card.warnings) lines.push(formatProblem(w));
  }
  return lines.join('\n');
}

function renderNode(node: NodeTrace, depth: number, lines: string[]) {
  const indent = '  '.repeat(depth);
  const row = (label: string, note: string) =>
    lines.push(
      pad(`${indent}${label}`, 44) +
        pad(num(node.score), 11) +
        pad(num(node.max), 9) +
        pad(num(node.weight), 7) +
        pad(num(node.contribution), 12) +
        note,
    );
  if (node.kind === 'indicator') {
    // The full name on its own line when the column would cut it.
    const label = `${node.code} ${node.name.id}`;
    row(label, `${node.status}: ${node.explanation}`);
    if (indent.length + label.length >= 44) lines.push(`${indent}  (${label})`);
    return;
  }
  if (node.kind === 'aggregate') {
    row(`${node.id} ${node.name.id}`, node.aggregation);
    for (const child of node.children) renderNode(child, depth + 1, lines);
    return;
  }
  const count = node.countScore;
  row(
    `${node.id} ${node.name.id}`,
    `${num(node.itemsTotal)} / MAX(${node.minDivisor}, ${node.reported}) = ${num(node.itemsTotal / node.divisor)}` +
      (count
        ? ` + skor jumlah ${count.perItem} x min(${count.counted}, ${count.cap}) = ${num(count.points)}${count.conditionMet ? '' : ' (syarat urusan pelayanan dasar tidak terpenuhi / basic-service condition not met)'}`
        : ''),
  );
  if (count && count.required > 0)
    lines.push(
      `${indent}  urusan pelayanan dasar tercakup / basic-service affairs covered: ${count.covered.join(', ') || '-'}; belum tercakup / missing: ${count.missing.join(', ') || '-'} (minimal / at least ${count.required})`,
    );
  for (const item of node.items) {
    lines.push(
      `${pad(`${indent}  - ${item.id}${item.name ? ` ${item.name}` : ''}`, 44)}${pad(num(item.score), 11)}${pad(num(item.max), 9)}${item.status === 'rejected' ? 'ditolak / rejected: 0, tetap dihitung dalam pembagi / stays in the divisor' : ''}`,
    );
    for (const r of item.review ?? [])
      lines.push(
        `${indent}      ${r.code} ${r.name.id}: ${r.outcome === 'rejected' ? 'ditolak / rejected' : 'disesuaikan / adjusted'}${r.note ? ` — ${r.note}` : ''}`,
      );
  }
}

const pad = (text: string, width: number) =>
  text.length >= width ? `${text.slice(0, width - 1)} ` : text.padEnd(width);
