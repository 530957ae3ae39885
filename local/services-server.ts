import { createServer, type Server } from 'node:http';
import { errorText, type Logger } from './log';
import { handleScheduler } from './scheduler/api';
import type { LocalScheduler } from './scheduler/scheduler';
import { handleStepFunctions } from './stepfunctions/api';
import type { StepFunctionsService } from './stepfunctions/service';

/**
 * One port for the two control-plane APIs handlers call: Step Functions requests carry
 * `X-Amz-Target: AWSStepFunctions.*`; Scheduler requests are REST under /schedules and
 * /schedule-groups. AWS_ENDPOINT_URL_SFN and AWS_ENDPOINT_URL_SCHEDULER both point here.
 */
export function createServicesServer(
  stepFunctions: StepFunctionsService,
  scheduler: LocalScheduler,
  groups: readonly string[],
  logger: Logger,
): Server {
  return createServer((request, response) => {
    const target = request.headers['x-amz-target'];
    const work =
      typeof target === 'string' && target.startsWith('AWSStepFunctions.')
        ? handleStepFunctions(stepFunctions, request, response)
        : /^\/schedule(s|-groups)(\/|\?|$)/.test(request.url ?? '')
          ? handleScheduler(scheduler, groups, request, response)
          : Promise.resolve(
              response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}'),
            );
    work.catch((error: unknown) => {
      logger.error(`services: ${errorText(error)}`);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
}
