import type { Indicator } from '#domain/methodology/schema';
import type { Answer } from '#domain/submission';
import { fileNameKey } from '../file-name';
import { isPlaced, misplacedIndicator } from '../messages';
import { path } from '../paths';
import { placeIndicators } from '../placement';
import { report } from '../report';
import type { Checker } from './context';

/** Who the answers belong to, for messages: the region, or "inovasi INV-3". */
export interface Owner {
  id: string;
  en: string;
}

const isAnswered = (a: Answer | undefined): a is Answer =>
  !!a && (a.level !== undefined || a.value !== undefined);

/**
 * One set of answers (the region's, or one item's) against the indicators expected there:
 * misplaced codes, mandatory answers, the answer's kind and range, and its evidence.
 */
export function checkAnswerSet(
  c: Checker,
  answers: Record<string, Answer>,
  expected: readonly Indicator[],
  basePath: string,
  owner: Owner | undefined,
  group?: string,
): void {
  const placement = placeIndicators(c.ctx.methodology);
  const answerPath = (code: string) => (basePath ? path.itemAnswer(basePath, code) : path.indicator(code));
  const forWhom = owner ? { id: ` untuk ${owner.id}`, en: ` for ${owner.en}` } : { id: '', en: '' };

  for (const [code, answer] of Object.entries(answers)) {
    const indicator = placement.byCode.get(code);
    if (indicator && isPlaced(placement, code, group))
      checkAnswer(c, indicator, answer, answerPath(code), forWhom);
    else {
      const misplaced = misplacedIndicator(placement, code, { group }, c.at(answerPath(code), code));
      if (misplaced) c.sink.push(misplaced);
    }
  }
  for (const indicator of expected) {
    if (!indicator.mandatory || isAnswered(answers[indicator.code])) continue;
    c.sink.push(
      report(
        'MISSING_MANDATORY',
        'error',
        c.at(answerPath(indicator.code), indicator.code),
        `indikator wajib ${indicator.code} "${indicator.name.id}" belum diisi${forWhom.id}. Isi jawabannya.`,
        `mandatory indicator ${indicator.code} "${indicator.name.en}" is not answered${forWhom.en}. Fill in its answer.`,
      ),
    );
  }
}

const levelCache = new WeakMap<Indicator, number[]>();
const levelsOf = (indicator: Indicator): number[] => {
  const cached = levelCache.get(indicator);
  if (cached) return cached;
  const rule = indicator.rule;
  const levels =
    rule.type === 'level' || rule.type === 'bands'
      ? rule.levels.map((l) => l.level).sort((a, b) => a - b)
      : [];
  levelCache.set(indicator, levels);
  return levels;
};

function checkAnswer(c: Checker, indicator: Indicator, answer: Answer, at: string, forWhom: Owner): void {
  const rule = indicator.rule;
  const code = indicator.code;
  const here = () => c.at(at, code);
  if (!isAnswered(answer)) return;
  if (rule.type === 'level' || rule.type === 'bands') {
    const levels = levelsOf(indicator);
    if (rule.type === 'level' && answer.level === undefined)
      c.sink.push(
        report(
          'ANSWER_KIND',
          'error',
          here(),
          `indikator ${code} diisi dengan memilih level (${levels.join(', ')}), bukan angka ${answer.value}. Pilih levelnya.`,
          `indicator ${code} is answered by picking a level (${levels.join(', ')}), not the number ${answer.value}. Pick the level.`,
        ),
      );
    if (answer.level !== undefined && !levels.includes(answer.level))
      c.sink.push(
        report(
          'LEVEL_OUT_OF_RANGE',
          'error',
          here(),
          `level ${answer.level}${forWhom.id} di luar pilihan indikator ${code} (${levels.join(', ')}). Pilih salah satu level yang tersedia.`,
          `level ${answer.level}${forWhom.en} is outside indicator ${code}'s choices (${levels.join(', ')}). Pick one of the available levels.`,
        ),
      );
  } else if (answer.value === undefined)
    c.sink.push(
      report(
        'ANSWER_KIND',
        'error',
        here(),
        `indikator ${code} diisi dengan angka${rule.type !== 'survey' && rule.unit ? ` (${rule.unit})` : ''}, bukan level. Tulis nilainya.`,
        `indicator ${code} is answered with a number${rule.type !== 'survey' && rule.unit ? ` (${rule.unit})` : ''}, not a level. Write the value.`,
      ),
    );

  if (indicator.evidenceRequired && !answer.evidence)
    c.sink.push(
      report(
        'EVIDENCE_MISSING',
        'error',
        c.at(path.evidence(at), code),
        `indikator ${code}${forWhom.id} wajib disertai bukti dukung. Tulis nama berkas bukti (mis. perda-inovasi.pdf) dan unggah berkasnya.`,
        `indicator ${code}${forWhom.en} requires supporting evidence. Write the evidence file name (e.g. perda-inovasi.pdf) and upload the file.`,
      ),
    );
  if (answer.evidence && c.uploaded && !c.uploaded.has(fileNameKey(answer.evidence)))
    c.sink.push(
      report(
        'EVIDENCE_NOT_UPLOADED',
        c.options.evidenceNotUploaded,
        c.at(path.evidence(at), code),
        `berkas bukti "${answer.evidence}" belum diunggah. Unggah berkas dengan nama yang sama persis, atau perbaiki nama berkas di sini.`,
        `evidence file "${answer.evidence}" has not been uploaded. Upload a file with exactly this name, or correct the name here.`,
      ),
    );
}
