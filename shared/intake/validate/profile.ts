import type { Submission } from '../../domain/submission';
import { path } from '../paths';
import { profileFields } from '../placement';
import { report } from '../report';
import type { Checker } from './context';

/**
 * Profile facts feed eligibility (is the region ranked at all?) and profile clusters. A missing
 * eligibility fact is an error because the region would silently drop out of the ranking; a
 * missing cluster fact is a warning because the ministry usually fills those itself.
 */
export function checkProfile(c: Checker, submission: Submission): void {
  const fields = profileFields(c.ctx.methodology);
  const known = new Set(fields.map((f) => f.key));
  for (const field of fields) {
    const value = submission.profile[field.key];
    const at = c.at(path.profile(field.key));
    const choices = field.values.join(', ');
    if (value === undefined || value.trim() === '') {
      c.sink.push(
        report(
          'PROFILE_MISSING',
          field.usedBy === 'eligibility' ? 'error' : 'warning',
          at,
          field.usedBy === 'eligibility'
            ? `data profil "${field.key}" kosong; tanpa data ini kelayakan daerah tidak dapat ditentukan. Pilih salah satu: ${choices}.`
            : `data profil "${field.key}" kosong; klaster daerah ditentukan tanpa data ini. Pilih salah satu: ${choices}.`,
          field.usedBy === 'eligibility'
            ? `profile fact "${field.key}" is empty; without it the region's eligibility cannot be decided. Pick one of: ${choices}.`
            : `profile fact "${field.key}" is empty; the region's clusters are decided without it. Pick one of: ${choices}.`,
        ),
      );
      continue;
    }
    if (field.values.length > 0 && !field.values.includes(value))
      c.sink.push(
        report(
          'PROFILE_VALUE_UNKNOWN',
          'error',
          at,
          `nilai "${value}" untuk "${field.key}" tidak dikenal. Pilih salah satu: ${choices}.`,
          `"${value}" is not a known value of "${field.key}". Pick one of: ${choices}.`,
        ),
      );
  }
  for (const key of Object.keys(submission.profile))
    if (!known.has(key))
      c.sink.push(
        report(
          'PROFILE_FIELD_UNKNOWN',
          'warning',
          c.at(path.profile(key)),
          `data profil "${key}" tidak dipakai metodologi ini dan diabaikan.`,
          `profile fact "${key}" is not used by this methodology and is ignored.`,
        ),
      );
}
