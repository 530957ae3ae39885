import { describe, expect, it } from 'vitest';
import { score, scoreFast } from '#domain/engine/index';
import { parseMethodology } from '#domain/methodology/load';
import { exampleWith, methodology, readMethodologyJson } from './helpers';

/* Gaps found while writing ikkd-2020 and ipkd-2020, now closed in the engine and schema. */
describe('engine and schema rules found by the IKKD and IPKD methodologies', () => {
  it('refuses a goalpost whose direction contradicts its worst/best order', () => {
    // The goalpost formula ignores `direction`; worst/best alone decide it. A methodology that says
    // lower-is-better but puts worst below best silently rewards poverty.
    const doc = readMethodologyJson('ikkd-2020');
    const indicators = doc.indicators as Array<{ code: string; rule: Record<string, unknown> }>;
    const poverty = indicators.find((i) => i.code === '1.1.5');
    if (!poverty) throw new Error('1.1.5 missing');
    poverty.rule = { ...poverty.rule, worst: 2, best: 30 };
    expect(() => parseMethodology(doc, 'ikkd-2020-inverted.json')).toThrow();
  });

  it('score and scoreFast agree on "provisional" when no relative indicator was answered', () => {
    // scoreFast calls a result provisional whenever the methodology has a relative rule and no statistics
    // were given; score only when a leaf is actually pending. The two paths must agree.
    const m = methodology('ikkd-2020');
    const submission = exampleWith('ikkd-2020-kabupaten-banyuwangi.json', (raw) => {
      delete raw.indicators['1.1.2'];
      delete raw.indicators['1.1.3'];
    });
    expect(scoreFast(m, submission).provisional).toBe(score(m, submission).provisional);
  });

  it('does not assess a region whose only input is a survey below the minimum', () => {
    // Any respondent makes a submission "assessable", even when no survey dimension can be scored, so a
    // region with 5 respondents and no documents gets "Sangat Rendah" 0.00 instead of "Tidak Dapat Dinilai".
    const m = methodology('ikkd-2020');
    const submission = exampleWith('ikkd-2020-kabupaten-banyuwangi.json', (raw) => {
      raw.indicators = {};
      if (raw.survey) raw.survey.respondents = raw.survey.respondents.slice(0, 5);
    });
    expect(score(m, submission).predikat).toBe('Tidak Dapat Dinilai');
  });
});
