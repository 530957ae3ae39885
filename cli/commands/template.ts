import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { findRegion } from '#domain/regions';
import { buildSurveyTemplate, buildTemplate } from '#intake/index';
import { EXIT_OK, type Output, UsageError } from '../errors';
import { resolveMethodology } from '../load';

export const templateHelp = `indeks template --methodology <id|path> --region <kode> -o <file.xlsx> [--survey]

Membuat templat XLSX isian untuk satu wilayah dari metodologi (petunjuk, daftar pilihan level, hash metodologi).
Generates the XLSX submission template of one region from the methodology.

  --survey   templat responden survei kepemimpinan (IKKD) / the leadership survey respondents template`;

export async function templateCommand(args: string[], io: Output): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      methodology: { type: 'string', short: 'm' },
      region: { type: 'string', short: 'r' },
      output: { type: 'string', short: 'o' },
      survey: { type: 'boolean', default: false },
    },
  });
  if (!values.methodology || !values.region || !values.output)
    throw new UsageError(
      'Opsi --methodology, --region dan -o wajib diisi.',
      'The --methodology, --region and -o options are required.',
    );
  const region = findRegion(values.region);
  if (!region)
    throw new UsageError(
      `Kode wilayah ${values.region} tidak dikenal (contoh: 18.01).`,
      `Region code ${values.region} is unknown (example: 18.01).`,
    );
  const methodology = resolveMethodology(values.methodology);
  if (values.survey && !methodology.survey)
    throw new UsageError(
      `Metodologi ${methodology.id} tidak memakai survei.`,
      `Methodology ${methodology.id} has no survey.`,
    );
  const bytes = values.survey
    ? await buildSurveyTemplate(methodology, region)
    : await buildTemplate(methodology, region);
  await writeFile(values.output, bytes);
  io.out(
    `${values.output}: ${methodology.id} (${methodology.hash.slice(0, 19)}…) ${region.kode} ${region.nama}`,
  );
  return EXIT_OK;
}
