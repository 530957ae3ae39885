import type { Problem, ProblemLocation } from '#domain/problems';
import type { Placement } from './placement';
import { report } from './report';

/** Messages several stages share, so XLSX, CSV and JSON say the same thing about the same mistake. */

/** The common case, without building a location: the code exists and belongs exactly here. */
export function isPlaced(placement: Placement, code: string, group: string | undefined): boolean {
  const indicator = placement.byCode.get(code);
  return !!indicator && indicator.rule.type !== 'survey' && placement.groupOf.get(code) === group;
}

/** Explains an indicator code that cannot be answered where it was written, or returns nothing. */
export function misplacedIndicator(
  placement: Placement,
  code: string,
  wanted: { group?: string },
  location: ProblemLocation,
): Problem | undefined {
  const indicator = placement.byCode.get(code);
  const loc = { ...location, indicator: code };
  if (!indicator)
    return report(
      'UNKNOWN_INDICATOR',
      'error',
      loc,
      `kode indikator "${code}" tidak ada dalam metodologi. Periksa kodenya atau hapus baris/kolom ini.`,
      `indicator code "${code}" is not in the methodology. Check the code or remove this row/column.`,
    );
  const home = placement.groupOf.get(code);
  if (indicator.rule.type === 'survey')
    return report(
      'INDICATOR_NOT_ANSWERABLE',
      'error',
      loc,
      `indikator ${code} dihitung dari survei responden, bukan diisi langsung. Hapus isian ini dan unggah data survei secara terpisah.`,
      `indicator ${code} is computed from the respondents' survey, not answered directly. Remove this answer and upload the survey data separately.`,
    );
  if (home === wanted.group) return undefined;
  return report(
    'INDICATOR_WRONG_PLACE',
    'error',
    loc,
    home
      ? `indikator ${code} diisi per butir kelompok "${home}", bukan di sini. Pindahkan isiannya ke lembar/bagian "${home}".`
      : `indikator ${code} diisi sekali untuk daerah (lembar "Indikator"), bukan per butir. Pindahkan isiannya.`,
    home
      ? `indicator ${code} is answered per item of group "${home}", not here. Move the answer to the "${home}" sheet/section.`
      : `indicator ${code} is answered once for the region ("Indikator" sheet), not per item. Move the answer.`,
  );
}
