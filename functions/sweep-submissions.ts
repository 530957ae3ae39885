import type { Logger } from '@aws-lambda-powertools/logger';
import type { SFNClient } from '@aws-sdk/client-sfn';
import * as z from 'zod';
import { requiredEnv, sfnClient } from '#adapters/aws-clients';
import { now } from '#adapters/clock';
import type { Repositories } from '#adapters/dynamo/index';
import type { ObjectStore } from '#adapters/object-store';
import { lambdaHandler, logger } from '#adapters/observability';
import { InternalError } from '#domain/errors';
import { type ApiEvent, httpApi, route } from '#http/api';
import { assertRole } from '#http/auth';
import { notFound } from '#http/errors';
import { redriveBody } from './lib/submissions/api-contract';
import { createIngestUpload } from './lib/submissions/ingest';
import { type SweepReport, sweepCycle } from './lib/submissions/sweep';
import { ports, repositoriesFromEnv, uploadStoreFromEnv } from './lib/wiring';

export interface SweepSubmissionsDeps {
  repos: Pick<Repositories, 'cycles' | 'submissions'>;
  sfn: Pick<SFNClient, 'send'>;
  stateMachineArn: string;
  uploads: Pick<ObjectStore, 'bucket' | 'list' | 'head'>;
  ingest: (event: unknown) => Promise<unknown>;
  now: () => Date;
  log: Pick<Logger, 'info' | 'warn'>;
}

const cycleId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/);
/** `{source: 'sweeper'}` from the 15-minute schedule; a cycle id narrows it. */
const scheduled = z.object({
  source: z.string().max(50).optional(),
  cycleId: cycleId.optional(),
  stuckAfterMinutes: z.number().int().min(0).max(1440).optional(),
});

const isApiEvent = (event: unknown): event is ApiEvent =>
  typeof event === 'object' && event !== null && 'routeKey' in event && 'requestContext' in event;

/**
 * Drives the submissions a crash left behind to a terminal status (see sweepCycle): every
 * 15 minutes for every cycle past DRAFT (EventBridge Scheduler), or for one cycle at an admin's
 * request (`POST /cycles/{cycleId}/submissions/redrive`, `npx indeks redrive --cycle C`).
 */
export function createSweepSubmissions(given: Partial<SweepSubmissionsDeps> = {}) {
  const deps = ports<SweepSubmissionsDeps>(given, {
    repos: repositoriesFromEnv,
    sfn: sfnClient,
    stateMachineArn: () => requiredEnv('SUBMISSION_STATE_MACHINE_ARN'),
    uploads: uploadStoreFromEnv,
    ingest: () => createIngestUpload(),
    now: () => now,
    log: logger,
  });

  const sweep = async (id: string, stuckAfterMinutes: number | undefined): Promise<SweepReport> => {
    const report = await sweepCycle(id, deps(), {
      ...(stuckAfterMinutes !== undefined ? { stuckAfterMinutes } : {}),
    });
    const acted = report.submissions.filter((s) => s.outcome !== 'running');
    if (acted.length > 0 || report.unrecorded.length > 0)
      deps().log.warn('stuck submissions driven', {
        cycleId: id,
        submissions: acted,
        unrecorded: report.unrecorded,
      });
    return report;
  };

  const api = httpApi({
    'POST /cycles/{cycleId}/submissions/redrive': route({
      params: z.object({ cycleId }),
      body: redriveBody,
      run: async ({ params, body, caller }) => {
        assertRole(caller, 'admin');
        if (!(await deps().repos.cycles.get(params.cycleId)))
          throw notFound(`Siklus ${params.cycleId}`, `Cycle ${params.cycleId}`);
        return { body: await sweep(params.cycleId, body.stuckAfterMinutes), cache: { maxAgeSeconds: 0 } };
      },
    }),
  });

  const scheduledSweep = async (input: unknown): Promise<{ reports: SweepReport[] }> => {
    const parsed = scheduled.safeParse(input ?? {});
    if (!parsed.success) throw new InternalError('BadInput', `not a sweeper event: ${parsed.error.message}`);
    const { cycleId: only, stuckAfterMinutes } = parsed.data;
    const ids = only ? [only] : await activeCycles(deps().repos.cycles);
    const reports: SweepReport[] = [];
    const failed: string[] = [];
    for (const id of ids) {
      try {
        reports.push(await sweep(id, stuckAfterMinutes));
      } catch (error) {
        deps().log.warn('sweep failed', { cycleId: id, error: String(error) });
        failed.push(id);
      }
    }
    // Thrown after the other cycles were swept, so the invocation is retried (then dead-lettered).
    if (failed.length > 0) throw new Error(`sweep failed for ${failed.join(', ')}`);
    return { reports };
  };

  // The API route carries the Powertools middlewares through httpApi; the schedule's path its own.
  const scheduledHandler = lambdaHandler(scheduledSweep);
  return (event: unknown, context: Parameters<typeof api>[1]) =>
    isApiEvent(event) ? api(event, context) : scheduledHandler(event, context);
}

/** Every cycle past DRAFT (submissions exist only once a window opened). */
async function activeCycles(cycles: Pick<Repositories['cycles'], 'list'>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await cycles.list({ limit: 100, ...(cursor ? { cursor } : {}) });
    ids.push(...page.items.filter((c) => c.status !== 'DRAFT').map((c) => c.cycleId));
    cursor = page.cursor;
  } while (cursor);
  return ids;
}

export const handler = createSweepSubmissions();
