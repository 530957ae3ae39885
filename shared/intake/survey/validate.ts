import type { Respondent, Submission } from '#domain/submission';
import { fileNameKey } from '../file-name';
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

/**
 * A paper survey (answers the region typed in from forms, not the survey channel) counts only with
 * its evidence: the scan of the filled-in forms, named in `survey.scan` and uploaded as an evidence
 * file before the data file. Without it the file is refused, saying what to upload. Channel
 * answers need no scan: respondents answered the ministry's form themselves.
 */
export function checkPaperSurveyScan(c: Checker, survey: NonNullable<Submission['survey']>): void {
  if (survey.source === 'channel' || survey.respondents.length === 0) return;
  if (!survey.scan) {
    c.sink.push(
      report(
        'SURVEY_SCAN_MISSING',
        'error',
        c.at('survey.scan'),
        `survei kertas (${survey.respondents.length} responden) wajib disertai pindaian formulir yang sudah diisi sebagai bukti. Pindai semua formulir ke satu berkas PDF, unggah sebagai berkas bukti, tulis namanya di "survey.scan" (mis. survei-pindaian.pdf), lalu unggah ulang berkas ini. Atau minta responden menjawab lewat formulir survei daring dengan kode undangan.`,
        `a paper survey (${survey.respondents.length} respondents) needs the scan of the filled-in forms as evidence. Scan every form into one PDF, upload it as an evidence file, write its name in "survey.scan" (e.g. survei-pindaian.pdf), then upload this file again. Or have the respondents answer the online survey form with invitation codes.`,
      ),
    );
    return;
  }
  if (c.uploaded && !c.uploaded.has(fileNameKey(survey.scan)))
    c.sink.push(
      report(
        'SURVEY_SCAN_NOT_UPLOADED',
        'error',
        c.at('survey.scan'),
        `pindaian survei kertas "${survey.scan}" belum diunggah; tanpa pindaian survei kertas tidak diterima. Unggah dulu berkas bukti dengan nama persis "${survey.scan}", lalu unggah ulang berkas ini.`,
        `the paper survey's scan "${survey.scan}" has not been uploaded; without its scan a paper survey is not accepted. First upload the evidence file named exactly "${survey.scan}", then upload this file again.`,
      ),
    );
}
