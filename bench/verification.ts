import { rank, type ScoreResult } from '#domain/engine/index';
import { getMethodology } from '#domain/methodology/registry';
import {
  answerCatalogue,
  type Decision,
  rankMoveNotices,
  seededHash,
  verificationOutcome,
} from '#domain/verification/index';
import { measure } from './measure';
import { nationalIid } from './national-data';

/**
 * The verification stage's compute for 552 regions (31,719 innovations): every region's verified
 * outcome with its sequentially attributed changes (~15 % of answers adjusted or rejected, a few
 * whole innovations rejected), then the sanggah re-rank (upheld objections in 30 regions, every
 * region re-ranked, rank notices). `npm run bench -- verification`.
 */
export function benchVerification() {
  const m = getMethodology('iid-2023');
  if (!m) throw new Error('iid-2023 is not shipped');
  const submissions = nationalIid();
  const at = '2026-09-15T03:00:00.000Z';
  const decisionsOf = submissions.map((s) => {
    const decisions = new Map<string, Decision>();
    for (const ref of answerCatalogue(m, s)) {
      const h = seededHash(`bench:${s.region}:${ref.key}`) % 1000;
      if (ref.kind === 'item') {
        if (h < 5)
          decisions.set(ref.key, {
            answer: ref.key,
            decision: 'reject',
            reason: 'DUPLICATE_INNOVATION',
            assessor: 'a',
            at,
          });
        else decisions.set(ref.key, { answer: ref.key, decision: 'accept', assessor: 'a', at });
      } else if (h < 80 && (ref.level ?? 0) > 1)
        decisions.set(ref.key, {
          answer: ref.key,
          decision: 'adjust',
          level: (ref.level ?? 2) - 1,
          reason: 'EVIDENCE_NOT_SUPPORTING',
          assessor: 'a',
          at,
        });
      else if (h < 150)
        decisions.set(ref.key, {
          answer: ref.key,
          decision: 'reject',
          reason: 'EVIDENCE_MISSING',
          assessor: 'a',
          at,
        });
      else decisions.set(ref.key, { answer: ref.key, decision: 'accept', assessor: 'a', at });
    }
    return decisions;
  });
  const outcomes = () => submissions.map((s, i) => verificationOutcome(m, s, decisionsOf[i] ?? new Map()));
  measure('verification-outcomes-552', outcomes, { warmup: 1, runs: 3 });

  const all = outcomes();
  const changes = all.reduce((n, o) => n + o.changes.length, 0);
  const answers = submissions.reduce((n, s) => n + answerCatalogue(m, s).length, 0);
  const mean = (xs: ScoreResult[]) => xs.reduce((sum, x) => sum + x.index, 0) / xs.length;
  console.log(
    `verification: ${changes} changes of ${answers} answers (${((100 * changes) / answers).toFixed(1)} %); national mean self ${mean(all.map((o) => o.self)).toFixed(2)} → verified ${mean(all.map((o) => o.verified)).toFixed(2)}`,
  );

  // Sanggah: in 30 regions every rejected SPD answer is restored (upheld), then everyone re-ranked.
  const objecting = new Set(submissions.filter((_, i) => i % 18 === 0).map((s) => s.region));
  const before = rank(
    all.map((o) => o.verified),
    m.clusters,
  );
  let notices = 0;
  measure(
    'sanggah-rerank-552',
    () => {
      const final = submissions.map((s, i) => {
        const o = all[i];
        if (!o || !objecting.has(s.region)) return o?.verified as ScoreResult;
        const upheld = new Map(decisionsOf[i]);
        for (const [key, d] of upheld)
          if (!key.includes('/') && d.decision === 'reject') upheld.set(key, { ...d, decision: 'accept' });
        return verificationOutcome(m, s, upheld).verified;
      });
      const after = rank(final, m.clusters);
      const changed = new Set(
        final.filter((f, i) => f.index !== all[i]?.verified.index).map((f) => f.region),
      );
      notices = rankMoveNotices(before, after, changed).length;
    },
    { warmup: 1, runs: 3 },
  );
  console.log(`sanggah: ${objecting.size} regions with upheld objections, ${notices} rank notices`);
}
