const MAX_LENGTH = 120;

/**
 * A storage-safe file name: the last path segment only, ASCII letters, digits, `.`, `_` and `-`,
 * no leading dot or dash, at most 120 characters with the extension kept. The same function names
 * uploaded objects and reads evidence references, so "Bukti APBD 2023.pdf" typed in a sheet finds
 * the object stored as "Bukti_APBD_2023.pdf".
 */
export function sanitizeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const ascii = base.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const safe = ascii
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/_{2,}/g, '_')
    .replace(/_+\./g, '.')
    .replace(/\.{2,}/g, '.')
    .replace(/^[._-]+/, '')
    .replace(/[._]+$/, '');
  if (!safe) return 'berkas';
  if (safe.length <= MAX_LENGTH) return safe;
  const dot = safe.lastIndexOf('.');
  const extension = dot > 0 && safe.length - dot <= 10 ? safe.slice(dot) : '';
  return safe.slice(0, MAX_LENGTH - extension.length) + extension;
}

/** Evidence matching ignores case: Windows users see "APBD.PDF" and "apbd.pdf" as one file. */
export const fileNameKey = (name: string): string => sanitizeFileName(name).toLowerCase();
