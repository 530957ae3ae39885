import type { NewCycle } from '#adapters/dynamo/cycles';
import type { ApiTarget } from '#cli/api-client';
import { runDemo } from '#cli/demo/run-demo';
import type { Runtime } from '#local/runtime';
import { answerOf, subOf } from './runtime-api';

/**
 * The verification stage of a cycle, over the local runtime's HTTP API: its calendar, phase moves
 * and the state machine run behind PROVISIONAL and FINAL. The callers keep their own assertions.
 */
const DAY_MS = 86_400_000;

/**
 * Lampung's regions upload and the national run is published (the demo, IID 2023), so that the
 * verification stage can begin; returns the cycle.
 */
export async function nationalRunForLampung(runtime: Runtime): Promise<string> {
  const report = await runDemo(
    { baseUrl: runtime.urls.api },
    { methodology: 'iid-2023', period: 2023, innovations: 11_000, provinces: ['18'] },
    () => {},
  );
  return report.cycleId;
}

/**
 * Schedules the stage from `now` (the runtime's clock): verification opens in about 15 minutes and
 * closes after a day, sanggah from day 2 to 3, responses by day 4; no double-verified sample.
 */
export function scheduleVerification(admin: ApiTarget, cycleId: string, now: number) {
  const at = (days: number) => new Date(now + days * DAY_MS).toISOString();
  return answerOf(admin, 'PUT', `/cycles/${cycleId}/verification`, {
    verificationOpensAt: at(0.01),
    verificationClosesAt: at(1),
    sanggahOpensAt: at(2),
    sanggahClosesAt: at(3),
    respondBy: at(4),
    sampleRate: 0,
  });
}

/** The admin assigns every submitted region to these assessors, keyed by their home province. */
export function assignAssessors(admin: ApiTarget, cycleId: string, byProvince: Record<string, ApiTarget>) {
  return answerOf<{ assignments: { region: string; primary: string }[] }>(
    admin,
    'POST',
    `/cycles/${cycleId}/assignments`,
    { assessors: Object.entries(byProvince).map(([province, target]) => ({ id: subOf(target), province })) },
  );
}

/** Asks for a phase move; PROVISIONAL and FINAL answer 202 with the state machine run they started. */
export function requestPhase(admin: ApiTarget, cycleId: string, to: string) {
  return answerOf<{ run?: { execution: string } }>(admin, 'POST', `/cycles/${cycleId}/verification/phase`, {
    to,
  });
}

/** The stage's phase now. */
export async function currentPhase(admin: ApiTarget, cycleId: string): Promise<string> {
  return (await answerOf<{ phase: string }>(admin, 'GET', `/cycles/${cycleId}/verification`)).body.phase;
}

/**
 * Waits for the verification state machine's execution a PROVISIONAL or FINAL move started (it
 * computes the results, then moves the phase) and returns how it ended (`SUCCEEDED`, …).
 */
export async function phaseRunEnd(runtime: Runtime, execution: string | undefined): Promise<string> {
  const sfn = runtime.stepFunctions;
  const machine = sfn.compiled.find((m) => m.spec.logicalId.startsWith('VerificationStateMachine'));
  const started = sfn.listExecutions(machine?.spec.arn).find((e) => e.name === execution);
  return (await sfn.waitFor(started?.executionArn ?? '')).status;
}

/** An IID 2023 cycle whose submission window was June 2026 (WIB), as the stage's route tests create it. */
export function juneIidCycle(cycleId: string, name: string, methodologyHash: string): NewCycle {
  return {
    cycleId,
    index: 'IID',
    period: 2023,
    name,
    calendar: {
      timeZone: 'Asia/Jakarta',
      opensAt: '2026-06-01T00:00:00+07:00',
      closesAt: '2026-06-30T23:59:00+07:00',
      extensions: [],
      nationalRunAt: '2026-07-02T01:00:00+07:00',
    },
    methodology: { id: 'iid-2023', hash: methodologyHash },
  };
}

/** The stage those tests schedule for it: verification in September 2026, sanggah 5–11 October, responses by the 18th. */
export const AUTUMN_STAGE = {
  verificationOpensAt: '2026-09-01T00:00:00+07:00',
  verificationClosesAt: '2026-09-30T23:59:00+07:00',
  sanggahOpensAt: '2026-10-05T00:00:00+07:00',
  sanggahClosesAt: '2026-10-11T23:59:00+07:00',
  respondBy: '2026-10-18T23:59:00+07:00',
} as const;
