import type { StageRankingRecord, StageResultRecord, StageScore } from '#adapters/dynamo/index';
import { type ClusterRanking, rank, type ScoreResult } from '#domain/engine/index';
import { SYSTEM_ACTOR } from '#domain/ledger/index';
import {
  type Decision,
  decisionsAfterSanggah,
  duePhases,
  phaseChangeProblems,
  type RankNotice,
  rankMoveNotices,
  type StagePhase,
  verificationOutcome,
} from '#domain/verification/index';
import { conflict, DomainError } from '#http/errors';
import { regionDecisions } from './decisions';
import { cycleOf, stageOf, type VerificationDeps } from './deps';

const scoreOf = (s: ScoreResult): StageScore => ({
  index: s.index,
  display: s.display,
  predikat: s.predikat,
  predikatEn: s.predikatEn,
});

/** The regions the stage covers: every region with a current (accepted) submission. */
async function coveredRegions(deps: VerificationDeps, cycleId: string): Promise<string[]> {
  return (await deps.repos.regionStatus.listCurrent(cycleId)).map((r) => r.kode).sort();
}

export async function incompleteRegions(deps: VerificationDeps, cycleId: string): Promise<string[]> {
  const out: string[] = [];
  for (const kode of await coveredRegions(deps, cycleId)) {
    const r = await regionDecisions(deps, cycleId, kode);
    if (!r.assignment || !r.progress.complete) out.push(kode);
  }
  return out;
}

/**
 * The results of a phase for every covered region: self and verified scores, the changes, the ranks
 * per cluster; FINAL also applies upheld objections and tells regions moved only by others' ones.
 */
export async function computeStageResults(
  deps: VerificationDeps,
  cycleId: string,
  phase: 'PROVISIONAL' | 'FINAL',
): Promise<{ results: StageResultRecord[]; rankings: StageRankingRecord[]; notices: RankNotice[] }> {
  const { methodology } = await cycleOf(deps, cycleId);
  const computedAt = deps.now().toISOString();
  const objections = phase === 'FINAL' ? await deps.repos.verification.listObjectionsOfCycle(cycleId) : [];
  const rows: {
    kode: string;
    self: ScoreResult;
    verified: ScoreResult;
    final?: ScoreResult;
    changes: StageResultRecord['changes'];
  }[] = [];
  for (const kode of await coveredRegions(deps, cycleId)) {
    const r = await regionDecisions(deps, cycleId, kode);
    const verified = verificationOutcome(methodology, r.submission, r.counted.counting, {}, r.catalogue);
    if (phase === 'PROVISIONAL') {
      rows.push({ kode, self: verified.self, verified: verified.verified, changes: verified.changes });
      continue;
    }
    const mine = objections.filter((o) => o.region === kode);
    const after = decisionsAfterSanggah<Decision>(r.counted.counting, mine, (o, effect) => ({
      ...o.contested,
      ...effect,
      ...(effect.decision === 'accept' ? { reason: undefined } : {}),
      note: `Sanggah dikabulkan / objection upheld: ${o.resolution?.reason ?? ''}`,
      assessor: o.resolution?.by ?? o.contested.assessor,
      at: o.resolution?.at ?? o.filedAt,
    }));
    const final = verificationOutcome(methodology, r.submission, after, {}, r.catalogue);
    rows.push({
      kode,
      self: verified.self,
      verified: verified.verified,
      final: final.verified,
      changes: final.changes,
    });
  }
  const ranked = (pick: (row: (typeof rows)[number]) => ScoreResult) =>
    rank(rows.map(pick), methodology.clusters);
  const stageRanking = ranked((row) => row.final ?? row.verified);
  let notices: RankNotice[] = [];
  if (phase === 'FINAL') {
    const before = ranked((row) => row.verified);
    const changed = new Set(
      rows.filter((row) => row.final && row.final.index !== row.verified.index).map((row) => row.kode),
    );
    notices = rankMoveNotices(before, stageRanking, changed);
  }
  const ranksOf = (rankings: ClusterRanking[], kode: string) =>
    Object.fromEntries(
      rankings.flatMap((c) => c.entries.filter((e) => e.region === kode).map((e) => [c.cluster, e.rank])),
    );
  const results: StageResultRecord[] = rows.map((row) => ({
    cycleId,
    phase,
    kode: row.kode,
    scores: {
      self: scoreOf(row.self),
      verified: scoreOf(row.verified),
      ...(row.final ? { final: scoreOf(row.final) } : {}),
    },
    changes: row.changes,
    ...(phase === 'FINAL' ? { notices: notices.filter((n) => n.region === row.kode) } : {}),
    ranks: ranksOf(stageRanking, row.kode),
    computedAt,
  }));
  const rankings: StageRankingRecord[] = stageRanking.map((c) => ({
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
  }));
  return { results, rankings, notices };
}

/** Moves the stage one phase on (admin or schedule), computing and keeping that phase's results first. */
export async function movePhase(
  deps: VerificationDeps,
  cycleId: string,
  to: StagePhase,
  by: string,
  trigger: 'admin' | 'schedule',
  reason?: string,
) {
  const stage = await stageOf(deps, cycleId);
  const { cycle } = await cycleOf(deps, cycleId);
  if (to === 'VERIFICATION' && (cycle.status === 'DRAFT' || cycle.status === 'OPEN'))
    throw conflict(
      'WINDOW_OPEN',
      'Verifikasi dimulai setelah jendela pengajuan ditutup.',
      'Verification starts after the submission window has closed.',
    );
  const readiness = {
    incompleteRegions:
      to === 'PROVISIONAL' && stage.phase === 'VERIFICATION' ? await incompleteRegions(deps, cycleId) : [],
    openObjections:
      to === 'FINAL' && stage.phase === 'RESOLUTION'
        ? (await deps.repos.verification.listObjectionsOfCycle(cycleId)).filter((o) => o.status === 'open')
            .length
        : 0,
  };
  const problems = phaseChangeProblems(stage.phase, to, readiness);
  if (problems.length > 0) {
    const [first] = problems;
    throw new DomainError(
      'conflict',
      first?.code ?? 'PHASE_REFUSED',
      first?.message_id ?? '',
      first?.message_en ?? '',
      problems,
    );
  }
  let summary: { regions: number; notices: number } | undefined;
  if (to === 'PROVISIONAL' || to === 'FINAL') {
    const computed = await computeStageResults(deps, cycleId, to);
    await deps.repos.verification.putStageResults(computed.results, computed.rankings);
    summary = { regions: computed.results.length, notices: computed.notices.length };
  }
  const moved = await deps.repos.verification.movePhase(cycleId, {
    from: stage.phase,
    to,
    at: deps.now().toISOString(),
    by,
    trigger,
    ...(reason ? { reason } : {}),
  });
  if (!moved)
    throw conflict(
      'PHASE_CHANGED',
      'Tahap sudah dipindahkan oleh proses lain.',
      'The phase was already moved by another process.',
    );
  await deps.ledger.append(cycleId, {
    action: 'verification.phase-changed',
    actor: trigger === 'schedule' ? SYSTEM_ACTOR : { sub: by, role: 'admin' },
    at: deps.now().toISOString(),
    subject: { stage: 'verification' },
    before: stage.phase,
    after: to,
    ...(reason ? { reason } : {}),
    idempotencyKey: `phase:${cycleId}:${stage.phase}:${to}`,
  });
  return { stage: moved, ...(summary ? { summary } : {}) };
}

/** The scheduled path: every move the stage calendar makes due, in order; a refusal stops and is reported. */
export async function runDuePhases(deps: VerificationDeps, cycleId: string) {
  const stage = await deps.repos.verification.getStage(cycleId);
  if (!stage) return { moved: [] as StagePhase[] };
  const moved: StagePhase[] = [];
  for (const to of duePhases(stage.phase, stage.calendar, deps.now())) {
    try {
      await movePhase(deps, cycleId, to, 'schedule', 'schedule');
      moved.push(to);
    } catch (error) {
      return { moved, blocked: { to, error: error instanceof Error ? error.message : String(error) } };
    }
  }
  return { moved };
}
