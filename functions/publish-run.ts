import { now } from '#adapters/clock';
import { type PublishResult, publishInput } from './lib/national/contracts';
import { publishRun } from './lib/national/publish';
import { logger, parseState, repositories } from './lib/national/runtime';

/** National run, state Publish: whole state → `$.publish`; the run becomes PROVISIONAL. */
export const handler = async (event: unknown): Promise<PublishResult> => {
  const input = parseState(publishInput, event, 'Publish');
  const result = await publishRun(input, { repos: repositories(), now });
  logger.info('run provisional', { cycleId: input.cycleId, runId: input.run.runId, ...result });
  return result;
};
