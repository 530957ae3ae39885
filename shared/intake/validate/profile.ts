import type { Submission } from '#domain/submission';
import { path } from '../paths';
import { profileFields } from '../placement';
import { report } from '../report';
import type { Checker } from './context';

/**
 * Tells the operator early that a profile value makes the region ineligible (it still appears in
 * results, with the reason, unranked). Scoring decides; this is only a warning.
 */
function checkEligibility(c: Checker, submission: Submission): void {
  for (const rule of c.ctx.methodology.eligibility) {
    const value = submission.profile[rule.field];
    if (value === undefined || value.trim() === '') continue;
    // A value the rule does not document is an error of its own (checkProfile), not a reason.
    if (rule.type === 'in' && rule.choices && ![...rule.values, ...rule.choices].includes(value)) continue;
    const ineligible =
      rule.type === 'in'
        ? !rule.values.includes(value)
        : rule.order.includes(value) && rule.order.indexOf(value) < rule.order.indexOf(rule.min);
    if (ineligible)
      c.sink.push(
        report(
          'PROFILE_INELIGIBLE',
          'warning',
          c.at(path.profile(rule.field)),
          `dengan "${rule.field}" = "${value}", daerah tidak diperingkat: ${rule.reason.id}. Periksa kembali bila isian ini keliru.`,
          `with "${rule.field}" = "${value}" the region is not ranked: ${rule.reason.en}. Check this value if it is a mistake.`,
        ),
      );
  }
}

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
    if (field.values.includes(value)) continue;
    if (field.closed || field.usedBy === 'cluster')
      c.sink.push(
        report(
          'PROFILE_VALUE_UNKNOWN',
          field.closed ? 'error' : 'warning',
          at,
          `nilai "${value}" untuk "${field.key}" tidak dikenal. Pilih salah satu: ${choices}.`,
          `"${value}" is not a known value of "${field.key}". Pick one of: ${choices}.`,
        ),
      );
  }
  checkEligibility(c, submission);
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
