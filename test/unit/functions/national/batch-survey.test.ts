import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runKeys } from '#adapters/bucket-layout';
import { decodePacked, encodePacked, packSubmission, score, scorePacked } from '#domain/engine/index';
import { getMethodology } from '#domain/methodology/registry';
import { type Submission, submissionSchema } from '#domain/submission';
import { revalidateRegionBatch } from '#functions/lib/national/revalidate';

/**
 * The national run's batch step puts the survey channel's answers in place of a paper survey
 * (issue 14), freezes that submission, and the engine scores it like any survey.
 */
const m = getMethodology('ikkd-2020');
const example = JSON.parse(
  readFileSync(new URL('../../../../examples/ikkd-2020-kabupaten-banyuwangi.json', import.meta.url), 'utf8'),
) as { survey: { respondents: { answers: Record<string, number | null> }[] } };
// The example's respondent 42 answered 6 on purpose (a validation example); the run refuses that.
const r42 = example.survey.respondents[41];
if (r42) r42.answers.KB2 = 4;
const items = (m?.survey?.items ?? []).map((i) => i.code);
const keys = runKeys('ikkd-2020', 'ikkd-2020-r1');

function fakeObjects() {
  const store = new Map<string, unknown>([
    [
      keys.context,
      {
        cycleId: 'ikkd-2020',
        runId: 'ikkd-2020-r1',
        index: 'ikkd',
        period: 2020,
        methodology: { id: 'ikkd-2020', hash: m?.hash ?? '' },
        startedAt: '2021-04-01T00:00:00Z',
        trigger: 'schedule',
      },
    ],
    ['reports/ikkd-2020/35.10/s-1.submission.json', example],
  ]);
  return {
    store,
    getBytes: async (key: string) => {
      const value = store.get(key);
      if (value === undefined) throw Object.assign(new Error(`no object ${key}`), { name: 'NoSuchKey' });
      return value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(JSON.stringify(value));
    },
    getJson: async <T>(key: string) => store.get(key) as T,
    putJson: async (key: string, value: unknown) => {
      store.set(key, value);
    },
    put: async (key: string, body: string | Uint8Array) => {
      store.set(key, body);
    },
  };
}

const run = (
  channel: Record<string, number>[],
  stored?: (objects: ReturnType<typeof fakeObjects>) => void,
) => {
  const objects = fakeObjects();
  stored?.(objects);
  return revalidateRegionBatch(
    {
      Items: [
        { kode: '35.10', submissionId: 's-1', sourceKey: 'reports/ikkd-2020/35.10/s-1.submission.json' },
      ],
      BatchInput: { cycleId: 'ikkd-2020', runId: 'ikkd-2020-r1', manifestKey: keys.manifest },
    },
    { objects, methodologyOf: getMethodology, channelAnswers: async () => channel },
  ).then((result) => ({
    result,
    frozen: submissionSchema.parse(objects.store.get(keys.frozenSubmission('35.10'))),
    packed: objects.store.get(keys.frozenPacked('35.10')) as Uint8Array | undefined,
  }));
};

describe('national run: the survey channel replaces the paper survey', () => {
  it('freezes the channel answers, marked channel, and the engine scores them', async () => {
    if (!m) throw new Error('ikkd-2020 expected');
    // 30 answers, all 4: every item mean 4 → (4 − 1) / 4 × 100 = 75 in each dimension.
    const answers = Array.from({ length: 30 }, () => Object.fromEntries(items.map((c) => [c, 4])));
    const { result, frozen } = await run(answers);
    expect(result).toMatchObject({ loaded: 1, invalid: 0 });
    expect(frozen.survey?.source).toBe('channel');
    expect(frozen.survey?.respondents).toHaveLength(30);
    const card = score(m, frozen as Submission);
    expect(card.surveySource).toBe('channel');
    expect(card.surveyBelowMinimum).toBe(false);
    // V2 = 0.4 × 75 + 0.3 × 75 + 0.3 × 75 = 75; V1 = 77.265 (provisional); IKKD = 46.359 + 30 = 76.359
    expect(card.index).toBeCloseTo(76.359, 9);
  });

  it('packs the channel submission anew: the form stored at validation holds the paper survey', async () => {
    if (!m) throw new Error('ikkd-2020 expected');
    const answers = Array.from({ length: 30 }, () => Object.fromEntries(items.map((c) => [c, 2])));
    const { frozen, packed } = await run(answers, (objects) => {
      const paper = submissionSchema.parse(example);
      objects.store.set('reports/ikkd-2020/35.10/s-1.packed.bin', encodePacked(packSubmission(m, paper)));
    });
    expect(packed).toBeDefined();
    const card = score(m, frozen as Submission);
    const fast = scorePacked(m, decodePacked(packed ?? new Uint8Array()));
    // What the aggregate compares before publishing: the two must agree (EngineMismatch otherwise).
    expect([fast.index, fast.display, fast.predikat]).toEqual([card.index, card.display, card.predikat]);
  });

  it('keeps the paper survey when the channel has no answer', async () => {
    const { frozen } = await run([]);
    expect(frozen.survey?.source).toBeUndefined();
    expect(frozen.survey?.respondents).toHaveLength(42);
  });
});
