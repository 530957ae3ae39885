import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { hasErrors, ProblemError, problem } from '#domain/problems';
import { findRegion } from '#domain/regions';
import { intakeFile } from '#intake/index';
import { EXIT_INVALID, EXIT_OK, formatProblem, type Output, UsageError } from '../errors';
import { resolveMethodology } from '../load';

export const validateHelp = `indeks validate <file> --methodology <id|path> --region <kode> [--evidence a.pdf,b.pdf] [--survey] [--json]

Memeriksa berkas pengajuan (XLSX, CSV, JSON) seperti saat diunggah: semua masalah beserta letaknya.
Checks a submission file (XLSX, CSV, JSON) as the upload pipeline does: every problem and where it is.

  --methodology, -m  id metodologi atau jalur berkas .json
  --region, -r       kode wilayah Kemendagri yang diunggah, mis. 18.01
  --evidence         nama berkas bukti yang sudah diunggah (dipisah koma); tanpa opsi ini pemeriksaan bukti dilewati
  --survey           berkas responden survei (IKKD), bukan berkas data
  --json             {ok, problems, submission}
Exit: 0 sah (peringatan boleh) / valid (warnings allowed), 1 ada galat / errors, 2 salah pemakaian / wrong usage`;

export async function validateCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      methodology: { type: 'string', short: 'm' },
      region: { type: 'string', short: 'r' },
      evidence: { type: 'string' },
      survey: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0)
    throw new UsageError('Sebutkan tepat satu berkas.', 'Give exactly one file.');
  if (!values.methodology || !values.region)
    throw new UsageError(
      'Opsi --methodology dan --region wajib diisi.',
      'The --methodology and --region options are required.',
    );
  if (!findRegion(values.region))
    throw new UsageError(
      `Kode wilayah ${values.region} tidak dikenal (contoh: 18.01).`,
      `Region code ${values.region} is unknown (example: 18.01).`,
    );
  const methodology = resolveMethodology(values.methodology);
  const bytes = await readFile(file).catch(() => {
    throw new ProblemError('file', [
      problem(
        'FILE_UNREADABLE',
        'error',
        { file },
        `Berkas "${file}" tidak dapat dibaca.`,
        `File "${file}" cannot be read.`,
      ),
    ]);
  });
  const result = await intakeFile({
    bytes,
    fileName: basename(file),
    methodology,
    region: values.region,
    ...(values.evidence !== undefined
      ? {
          evidenceNames: values.evidence
            .split(',')
            .map((e) => e.trim())
            .filter(Boolean),
        }
      : {}),
    // A survey below the minimum leaves the region unranked: an error for the submission's rankability.
    options: { content: values.survey ? 'survey' : 'submission', surveyBelowMinimum: 'error' },
  });
  const ok = !hasErrors(result.problems);
  if (values.json)
    io.out(
      JSON.stringify(
        { ok, format: result.format, problems: result.problems, submission: result.submission },
        null,
        2,
      ),
    );
  else {
    for (const p of result.problems) (p.severity === 'error' ? io.err : io.out)(formatProblem(p));
    const errors = result.problems.filter((p) => p.severity === 'error').length;
    const warnings = result.problems.length - errors;
    io.out(
      ok
        ? `SAH / VALID: ${basename(file)} (${result.format}), ${warnings} peringatan / warnings.`
        : `DITOLAK / REJECTED: ${errors} galat / errors, ${warnings} peringatan / warnings.`,
    );
  }
  return ok ? EXIT_OK : EXIT_INVALID;
}
