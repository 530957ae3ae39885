import type { Respondent } from '#domain/submission';
import { path } from '../paths';
import { report } from '../report';
import type { Checker } from '../validate/context';

/**
 * Survey respondents: answers inside the methodology's scale, one row per respondent, known roles,
 * and enough respondents with at least one answer (the survey rule averages over those).
 */
export function checkSurvey(
  c: Checker,
  respondents: readonly Respondent[],
  /** Answers from the survey channel carry no role: anonymity (issue 14). */
  options: { anonymous?: boolean } = {},
): void {
  const survey = c.ctx.methodology.survey;
  if (!survey) {
    c.sink.push(
      report(
        'SURVEY_NOT_EXPECTED',
        'error',
        c.at('survey'),
        `metodologi "${c.ctx.methodology.id}" tidak memakai survei; data responden tidak diterima.`,
        `methodology "${c.ctx.methodology.id}" has no survey; respondent data is not accepted.`,
      ),
    );
    return;
  }
  const { min, max } = survey.scale;
  const items = new Set(survey.items.map((i) => i.code));
  const roles = survey.roles;
  const seen = new Map<string, number>();
  const unknownItems = new Set<string>();
  let valid = 0;
  respondents.forEach((respondent, index) => {
    const at = path.respondent(index);
    const key = respondent.id.trim().toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      const earlier = c.at(path.respondent(first));
      const where = earlier.row !== undefined ? `baris ${earlier.row}` : path.respondent(first);
      const whereEn = earlier.row !== undefined ? `row ${earlier.row}` : path.respondent(first);
      c.sink.push(
        report(
          'DUPLICATE_RESPONDENT',
          'error',
          c.at(`${at}.id`),
          `responden "${respondent.id}" sudah tercatat (${where}). Setiap responden hanya sekali: hapus baris ganda atau perbaiki ID-nya.`,
          `respondent "${respondent.id}" is already listed (${whereEn}). Each respondent appears once: remove the duplicate row or correct the ID.`,
        ),
      );
    } else seen.set(key, index);

    if (roles && roles.length > 0 && !options.anonymous) {
      const role = respondent.role;
      if (!role || !roles.includes(role))
        c.sink.push(
          report(
            'SURVEY_ROLE_INVALID',
            'error',
            c.at(`${at}.role`),
            role
              ? `peran "${role}" untuk responden "${respondent.id}" tidak dikenal. Pilih salah satu: ${roles.join(', ')}.`
              : `peran responden "${respondent.id}" kosong. Pilih salah satu: ${roles.join(', ')}.`,
            role
              ? `role "${role}" of respondent "${respondent.id}" is unknown. Pick one of: ${roles.join(', ')}.`
              : `respondent "${respondent.id}" has no role. Pick one of: ${roles.join(', ')}.`,
          ),
        );
    }

    let answered = 0;
    let invalid = 0;
    for (const [item, value] of Object.entries(respondent.answers)) {
      if (!items.has(item)) {
        if (!unknownItems.has(item))
          c.sink.push(
            report(
              'SURVEY_ITEM_UNKNOWN',
              'error',
              c.at(path.surveyAnswer(at, item)),
              `butir survei "${item}" tidak ada dalam metodologi. Butir yang dikenal: ${[...items].join(', ')}.`,
              `survey item "${item}" is not in the methodology. Known items: ${[...items].join(', ')}.`,
            ),
          );
        unknownItems.add(item);
        continue;
      }
      if (value === null) continue;
      if (!Number.isInteger(value) || value < min || value > max) {
        c.sink.push(
          report(
            'SURVEY_ANSWER_OUT_OF_RANGE',
            'error',
            c.at(path.surveyAnswer(at, item)),
            `jawaban ${value} (responden "${respondent.id}", butir ${item}) di luar skala ${min}–${max}. Tulis bilangan bulat ${min} sampai ${max}, atau kosongkan bila tidak dijawab.`,
            `answer ${value} (respondent "${respondent.id}", item ${item}) is outside the ${min}–${max} scale. Write a whole number from ${min} to ${max}, or leave it empty if unanswered.`,
          ),
        );
        invalid++;
        continue;
      }
      answered++;
    }
    if (answered > 0) valid++;
    else if (invalid === 0)
      c.sink.push(
        report(
          'SURVEY_RESPONDENT_EMPTY',
          'warning',
          c.at(at),
          `responden "${respondent.id}" tidak punya jawaban yang sah dan tidak dihitung.`,
          `respondent "${respondent.id}" has no valid answer and is not counted.`,
        ),
      );
  });
  if (valid < survey.minRespondents)
    c.sink.push(
      report(
        'SURVEY_TOO_FEW',
        c.options.surveyBelowMinimum,
        c.at('survey.respondents'),
        `baru ${valid} responden sah; metodologi memerlukan paling sedikit ${survey.minRespondents}. Dengan jumlah ini dimensi survei bernilai 0 dan daerah dinilai tetapi tidak diperingkat (survey-below-minimum). Tambahkan responden sebelum batas waktu.`,
        `only ${valid} valid respondents; the methodology needs at least ${survey.minRespondents}. With this many the survey dimensions score 0 and the region is scored but not ranked (survey-below-minimum). Add respondents before the deadline.`,
      ),
    );
}
