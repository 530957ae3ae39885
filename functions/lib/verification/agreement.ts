import { agreementReport, type DoubleVerification } from '#domain/verification/index';
import { regionDecisions } from './decisions';
import type { VerificationDeps } from './deps';

/** Agreement of the double-verified sample: kappa and identical share, and the disagreements to adjudicate. */
export async function cycleAgreement(deps: VerificationDeps, cycleId: string) {
  const doubled = (await deps.repos.verification.listAssignments(cycleId)).filter((a) => a.second);
  const samples: DoubleVerification[] = await Promise.all(
    doubled.map(async (a) => {
      const r = await regionDecisions(deps, cycleId, a.region);
      return {
        region: a.region,
        catalogue: r.catalogue,
        first: { assessor: a.primary, decisions: r.counted.bySlot.P },
        second: { assessor: a.second ?? '', decisions: r.counted.bySlot.S },
      };
    }),
  );
  return { regions: samples.length, ...agreementReport(samples) };
}
