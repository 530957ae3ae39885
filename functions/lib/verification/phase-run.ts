import type { StageRowRecord } from '#adapters/dynamo/index';
import { InternalError } from '#domain/errors';
import {
  type Decision,
  decisionsAfterSanggah,
  rankableOf,
  rankStage,
  verificationOutcome,
} from '#domain/verification/index';
import { mapLimit } from '#util/pool';
import { regionDecisions } from './decisions';
import { cycleOf, type PhaseRunInput, type PhaseRunner, type StageDeps, stageOf } from './deps';
import { recordPhaseChange } from './ledger';
import { stageScore } from './scores';

/**
 * The results of PROVISIONAL and FINAL, computed by the verification state machine
 * (infra/constructs/verification-pipeline.ts): Plan (covered regions in batches) → ScoreBatch per
 * batch (rows: self, verified, final scores and changes) → Rank (every region ranked once, rank
 * notices) → Complete (the guarded phase move). Each step is idempotent: a redrive or a rerun
 * writes the same rows and ranks, and the move is made once.
 */
export const PHASE_BATCH_SIZE = 25;
/** Regions read at once inside a batch (canonical JSON + decisions each). */
const READS_IN_FLIGHT = 8;

/** The execution name: one run per cycle and phase (a second start finds the first). */
export const phaseExecutionName = (cycleId: string, phase: string): string =>
  `${cycleId.replace(/[^A-Za-z0-9_-]/g, '_')}-${phase}`.slice(0, 80);

/** The regions the stage covers: every region with a current (accepted) submission, in batches. */
export async function planPhaseRun(deps: Pick<StageDeps, 'repos'>, input: PhaseRunInput) {
  const kodes = (await deps.repos.regionStatus.listCurrent(input.cycleId)).map((r) => r.kode).sort();
  const batches: { kodes: string[] }[] = [];
  for (let i = 0; i < kodes.length; i += PHASE_BATCH_SIZE)
    batches.push({ kodes: kodes.slice(i, i + PHASE_BATCH_SIZE) });
  return { regions: kodes.length, batches };
}

/**
 * One batch's rows. PROVISIONAL: the verified outcome with its changes. FINAL: a region without
 * upheld objections keeps its PROVISIONAL row (final = verified); one with upheld objections is
 * recomputed from the decisions after the sanggah (its changes then explain final − self).
 */
export async function scorePhaseBatch(
  deps: Omit<StageDeps, 'ledger'>,
  input: Pick<PhaseRunInput, 'cycleId' | 'phase'> & { kodes: readonly string[] },
): Promise<{ rows: number }> {
  const { cycleId, phase } = input;
  const loaded = await cycleOf(deps, cycleId);
  const { methodology } = loaded;
  const computedAt = deps.now().toISOString();
  const upheld =
    phase === 'FINAL'
      ? (await deps.repos.verification.listObjectionsOfCycle(cycleId)).filter((o) => o.status === 'upheld')
      : [];
  const rows = await mapLimit(input.kodes, READS_IN_FLIGHT, async (kode): Promise<StageRowRecord> => {
    const mine = upheld.filter((o) => o.region === kode);
    const provisional =
      phase === 'FINAL' ? await deps.repos.verification.getStageRow(cycleId, 'PROVISIONAL', kode) : undefined;
    if (provisional && mine.length === 0)
      return {
        ...provisional,
        phase,
        scores: { ...provisional.scores, final: provisional.scores.verified },
        rankables: { ...provisional.rankables, final: provisional.rankables.verified },
        computedAt,
      };
    const r = await regionDecisions(deps, cycleId, kode, loaded);
    const verified = verificationOutcome(methodology, r.submission, r.counted.counting, {}, r.catalogue);
    const row = {
      cycleId,
      phase,
      kode,
      scores: { self: stageScore(verified.self), verified: stageScore(verified.verified) },
      changes: verified.changes,
      rankables: { verified: rankableOf(verified.verified) },
      computedAt,
    };
    if (phase === 'PROVISIONAL') return row;
    const after = decisionsAfterSanggah<Decision>(r.counted.counting, mine, (o, effect) => ({
      ...o.contested,
      ...effect,
      ...(effect.decision === 'accept' ? { reason: undefined } : {}),
      note: `Sanggah dikabulkan / objection upheld: ${o.resolution?.reason ?? ''}`,
      assessor: o.resolution?.by ?? o.contested.assessor,
      at: o.resolution?.at ?? o.filedAt,
    }));
    const final = verificationOutcome(methodology, r.submission, after, {}, r.catalogue);
    return {
      ...row,
      scores: { ...row.scores, final: stageScore(final.verified) },
      changes: final.changes,
      rankables: { ...row.rankables, final: rankableOf(final.verified) },
    };
  });
  await deps.repos.verification.putStageRows(rows);
  return { rows: rows.length };
}

/** Every region ranked once from the rows (FINAL: before and after the sanggah, with rank notices). */
export async function rankPhase(
  deps: Pick<StageDeps, 'repos' | 'methodologyOf'>,
  input: Pick<PhaseRunInput, 'cycleId' | 'phase'>,
) {
  const { cycleId, phase } = input;
  const { methodology } = await cycleOf(deps, cycleId);
  const [rows, covered] = await Promise.all([
    deps.repos.verification.listStageRankables(cycleId, phase),
    deps.repos.regionStatus.listCurrent(cycleId),
  ]);
  const have = new Set(rows.map((r) => r.kode));
  const missing = covered.map((c) => c.kode).filter((k) => !have.has(k));
  if (missing.length > 0)
    throw new InternalError(
      'PHASE_ROWS_MISSING',
      `${phase} of ${cycleId}: no row for ${missing.length} regions (${missing.slice(0, 10).join(', ')})`,
    );
  const ranked = rankStage(
    rows.map((r) => ({ kode: r.kode, ...r.rankables })),
    methodology.clusters,
    phase,
  );
  await deps.repos.verification.putStageRanks(
    rows.map((r) => {
      const notices = ranked.notices.filter((n) => n.region === r.kode);
      return {
        cycleId,
        phase,
        kode: r.kode,
        ranks: ranked.ranks.get(r.kode) ?? {},
        ...(phase === 'FINAL' ? { notices } : {}),
      };
    }),
    ranked.rankings.map((c) => ({
      cycleId,
      phase,
      cluster: c.cluster,
      entries: c.entries.map((e) => ({
        region: e.region,
        index: e.index,
        display: e.display,
        predikat: e.predikat,
        rank: e.rank,
      })),
    })),
  );
  return { regions: rows.length, notices: ranked.notices.length, changed: ranked.changed.length };
}

/** The guarded move once the phase's results are in; a repeat finds it made and changes nothing. */
export async function completePhase(deps: Pick<StageDeps, 'repos' | 'now' | 'ledger'>, input: PhaseRunInput) {
  const move = {
    from: input.from,
    to: input.phase,
    at: deps.now().toISOString(),
    by: input.by,
    trigger: input.trigger,
    ...(input.reason ? { reason: input.reason } : {}),
  };
  const moved = await deps.repos.verification.movePhase(input.cycleId, move);
  // Recorded after the move, and again by a repeat that finds it made (a crash in between): one entry.
  if (moved) {
    await recordPhaseChange(deps.ledger, input.cycleId, move);
    return { phase: moved.phase, moved: true };
  }
  const stage = await stageOf(deps, input.cycleId);
  if (stage.phase !== input.phase)
    throw new InternalError(
      'PHASE_MOVE_REFUSED',
      `${input.cycleId}: expected ${input.from} → ${input.phase}, found ${stage.phase}`,
    );
  await recordPhaseChange(deps.ledger, input.cycleId, move);
  return { phase: stage.phase, moved: false };
}

/** The same steps in this process, in order: what tests, the bench and a deployment without the machine use. */
export async function runPhase(deps: StageDeps, input: PhaseRunInput) {
  const plan = await planPhaseRun(deps, input);
  for (const batch of plan.batches) await scorePhaseBatch(deps, { ...input, kodes: batch.kodes });
  const ranked = await rankPhase(deps, input);
  const done = await completePhase(deps, input);
  return { ...ranked, ...done };
}

/** Runs the phase inline when started (the in-process counterpart of the state machine). */
export const inProcessPhaseRunner = (deps: () => StageDeps): PhaseRunner => ({
  async start(input) {
    await runPhase(deps(), input);
    return { execution: phaseExecutionName(input.cycleId, input.phase), outcome: 'started' };
  },
});
