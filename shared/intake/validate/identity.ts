import type { Submission } from '#domain/submission';
import { report } from '../report';
import type { Checker } from './context';

/** The file must be for this methodology, this version of it, this period and this region. */
export function checkIdentity(c: Checker, submission: Submission): void {
  const m = c.ctx.methodology;
  if (submission.methodology !== m.id)
    c.sink.push(
      report(
        'METHODOLOGY_MISMATCH',
        'error',
        c.at('methodology'),
        `berkas disiapkan untuk metodologi "${submission.methodology}", sedangkan siklus ini memakai "${m.id}". Unduh templat siklus ini dan pindahkan isian Anda ke sana.`,
        `the file was prepared for methodology "${submission.methodology}", but this cycle uses "${m.id}". Download this cycle's template and move your answers into it.`,
      ),
    );
  else if (submission.methodologyHash !== undefined && submission.methodologyHash !== m.hash)
    c.sink.push(
      report(
        'TEMPLATE_MISMATCH',
        c.options.templateMismatch,
        c.at('methodologyHash'),
        `templat dibuat dari versi lain metodologi "${m.id}" (sidik ${short(submission.methodologyHash)}, seharusnya ${short(m.hash)}). Unduh templat terbaru agar indikator dan level sesuai.`,
        `the template was generated from another version of methodology "${m.id}" (fingerprint ${short(submission.methodologyHash)}, expected ${short(m.hash)}). Download the current template so indicators and levels match.`,
      ),
    );
  if (submission.period !== m.period)
    c.sink.push(
      report(
        'PERIOD_MISMATCH',
        'error',
        c.at('period'),
        `berkas untuk periode ${submission.period}, sedangkan penilaian ini periode ${m.period}. Pakai templat periode ${m.period}.`,
        `the file is for period ${submission.period}, but this assessment is for ${m.period}. Use the ${m.period} template.`,
      ),
    );
  if (submission.region !== c.ctx.region)
    c.sink.push(
      report(
        'REGION_MISMATCH',
        'error',
        c.at('region'),
        `berkas berisi data wilayah ${submission.region}, tetapi diunggah untuk wilayah ${c.ctx.region}. Unduh templat wilayah ${c.ctx.region}, atau unggah berkas ini dari akun wilayah ${submission.region}.`,
        `the file holds data for region ${submission.region} but was uploaded for region ${c.ctx.region}. Download the template for ${c.ctx.region}, or upload this file from region ${submission.region}'s account.`,
      ),
    );
}

const short = (hash: string): string => hash.replace(/^sha256:/, '').slice(0, 12);
