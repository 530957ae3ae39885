import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getMethodology } from '#domain/methodology/registry';
import {
  CODE_ALPHABET,
  checkRespondentList,
  codeFromBytes,
  codeHash,
  formatCode,
  invitationLink,
  normaliseCode,
  type RespondentEntry,
  responseRates,
  surveyScores,
} from '#domain/survey/index';

const m = getMethodology('ikkd-2020');
if (!m?.survey) throw new Error('ikkd-2020 with a survey expected');
const survey = m.survey;

describe('invitation codes', () => {
  it('carry 80 bits in 16 symbols of an alphabet without look-alikes', () => {
    expect(CODE_ALPHABET).toHaveLength(32);
    expect(CODE_ALPHABET).not.toMatch(/[IO01]/);
    expect(codeFromBytes(new Uint8Array(10))).toBe('AAAAAAAAAAAAAAAA');
    expect(codeFromBytes(new Uint8Array(10).fill(255))).toBe('9999999999999999');
    // 0x08 0x86 … : the first symbols read 00001 00010 00011 … → B C D …
    expect(
      codeFromBytes(Uint8Array.from([0x08, 0x86, 0x42, 0x98, 0xe8, 0x4a, 0x52, 0xcc, 0x5a, 0x0f])).slice(
        0,
        4,
      ),
    ).toBe('BCDE');
    expect(() => codeFromBytes(new Uint8Array(9))).toThrow(RangeError);
  });

  it('distinct bytes give distinct codes (a bijection on 80 bits)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        (a, b) => {
          const same = a.every((x, i) => x === b[i]);
          expect(codeFromBytes(a) === codeFromBytes(b)).toBe(same);
        },
      ),
    );
  });

  it('are shown grouped, read back whatever the case or separators, and hashed only in normal form', () => {
    const code = codeFromBytes(randomBytes(10));
    const shown = formatCode(code);
    expect(shown).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(normaliseCode(` ${shown.toLowerCase().replace(/-/g, ' ')} `)).toBe(code);
    expect(codeHash(shown)).toBe(codeHash(code));
    expect(codeHash(code)).toMatch(/^[0-9a-f]{64}$/);
    expect(codeHash(code)).not.toContain(code);
    expect(normaliseCode('ABCD-EFGH-JKLM-NPQ0')).toBeUndefined();
    expect(codeHash('nonsense')).not.toBe(codeHash(code));
    expect(invitationLink('https://x.go.id/survey/', code)).toBe(`https://x.go.id/survey/#${shown}`);
  });
});

const person = (i: number, category: string): RespondentEntry => ({
  name: `Orang ${i}`,
  position: `Jabatan ${i}`,
  category,
});
/** Exactly the ikkd-2020 quotas (27) plus 3 more community figures: 30. */
function fullList(): RespondentEntry[] {
  const list: RespondentEntry[] = [];
  for (const q of survey.quotas ?? []) for (let k = 0; k < q.min; k++) list.push(person(list.length, q.role));
  for (let k = 0; k < 3; k++) list.push(person(list.length, 'tokoh-masyarakat'));
  return list;
}

describe('respondent lists against the quotas', () => {
  it('accepts a list meeting every quota and the minimum of 30', () => {
    expect(fullList()).toHaveLength(30);
    expect(checkRespondentList(survey, fullList())).toEqual([]);
  });

  it('names each short or exceeded category, unknown categories and duplicates, bilingually', () => {
    const list = fullList().filter((e) => e.category !== 'media');
    list.push(person(900, 'wartawan'));
    list.push({ ...(list[0] as RespondentEntry) });
    for (let k = 0; k < 9; k++) list.push(person(800 + k, 'asn'));
    const problems = checkRespondentList(survey, list);
    expect(problems.map((p) => p.code).sort()).toEqual([
      'RESPONDENT_CATEGORY_UNKNOWN',
      'RESPONDENT_DUPLICATE',
      'RESPONDENT_QUOTA_EXCEEDED',
      'RESPONDENT_QUOTA_SHORT',
    ]);
    const short = problems.find((p) => p.code === 'RESPONDENT_QUOTA_SHORT');
    expect(short?.message_id).toMatch(/Media baru 0 orang.*Tambahkan 1/);
    expect(short?.message_en).toMatch(/Media has 0.*Add 1 more/);
    expect(problems.find((p) => p.code === 'RESPONDENT_QUOTA_EXCEEDED')?.message_en).toMatch(/at most 8/);
  });

  it('a list under the survey minimum is refused even when quotas are met', () => {
    const list = fullList().slice(0, 27);
    expect(checkRespondentList(survey, list).map((p) => p.code)).toEqual(['RESPONDENT_LIST_TOO_SHORT']);
  });
});

describe('response rates and aggregate scores', () => {
  it('rates per category come from invitations only', () => {
    const rates = responseRates(survey, [
      { kode: '35.10', category: 'dprd', used: true },
      { kode: '35.10', category: 'dprd', used: false },
      { kode: '35.10', category: 'media', used: true },
    ]);
    expect(rates).toMatchObject({ invited: 3, answered: 2, rate: 0.6667 });
    expect(rates.categories.find((c) => c.category === 'dprd')).toMatchObject({
      invited: 2,
      answered: 1,
      rate: 0.5,
    });
    expect(rates.categories.find((c) => c.category === 'akademisi')).toMatchObject({ invited: 0, rate: 0 });
  });

  it('scores stay hidden below the minimum and equal the hand computation at it', () => {
    const items = survey.items.map((i) => i.code);
    // 30 answers: 15 all 4s and 15 all 5s → every item mean 4.5 → (4.5 − 1) / 4 × 100 = 87.5 in each dimension.
    const answers = Array.from({ length: 30 }, (_, i) =>
      Object.fromEntries(items.map((c) => [c, i % 2 ? 5 : 4])),
    );
    const below = surveyScores(m, '35.10', answers.slice(0, 29));
    expect(below.reached).toBe(false);
    expect(below.dimensions.map((d) => d.score)).toEqual([null, null, null]);
    const at = surveyScores(m, '35.10', answers);
    expect(at.reached).toBe(true);
    expect(at.dimensions.map((d) => [d.code, d.valid, d.score])).toEqual([
      ['2.1', 30, 87.5],
      ['2.2', 30, 87.5],
      ['2.3', 30, 87.5],
    ]);
  });
});
