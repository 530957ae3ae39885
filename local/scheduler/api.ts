import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../http/io';
import { isJsonObject, type JsonObject, parseJson } from '../json';
import { ServiceError } from '../stepfunctions/errors';
import type { LocalScheduler, Schedule } from './scheduler';

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

function full(s: Schedule): JsonObject {
  const out: JsonObject = {
    Arn: s.Arn,
    Name: s.Name,
    GroupName: s.GroupName,
    ScheduleExpression: s.ScheduleExpression,
    State: s.State,
    FlexibleTimeWindow: s.FlexibleTimeWindow,
    Target: s.Target,
    CreationDate: s.CreationDate / 1000,
    LastModificationDate: s.LastModificationDate / 1000,
  };
  const optional: [string, string | number | undefined][] = [
    ['ScheduleExpressionTimezone', s.ScheduleExpressionTimezone],
    ['Description', s.Description],
    ['StartDate', seconds(s.StartDate)],
    ['EndDate', seconds(s.EndDate)],
    ['ActionAfterCompletion', s.ActionAfterCompletion],
    ['KmsKeyArn', s.KmsKeyArn],
  ];
  for (const [key, value] of optional) if (value !== undefined) out[key] = value;
  return out;
}

function summary(s: Schedule): JsonObject {
  return {
    Arn: s.Arn,
    Name: s.Name,
    GroupName: s.GroupName,
    State: s.State,
    CreationDate: s.CreationDate / 1000,
    LastModificationDate: s.LastModificationDate / 1000,
    Target: { Arn: typeof s.Target.Arn === 'string' ? s.Target.Arn : '' },
  };
}

function route(
  scheduler: LocalScheduler,
  groups: readonly string[],
  method: string,
  url: URL,
  body: JsonObject,
): JsonObject {
  const path = url.pathname.replace(/\/+$/, '');
  const one = /^\/schedules\/([^/]+)$/.exec(path);
  const name = one?.[1] ? decodeURIComponent(one[1]) : undefined;
  const group = url.searchParams.get('groupName') ?? undefined;
  if (name && method === 'POST') return { ScheduleArn: scheduler.create(name, body).Arn };
  if (name && method === 'PUT') return { ScheduleArn: scheduler.update(name, body).Arn };
  if (name && method === 'GET') return full(scheduler.get(name, group));
  if (name && method === 'DELETE') {
    scheduler.delete(name, group);
    return {};
  }
  if (path === '/schedules' && method === 'GET') {
    const all = scheduler.list({
      group: url.searchParams.get('ScheduleGroup') ?? undefined,
      prefix: url.searchParams.get('NamePrefix') ?? undefined,
      state: url.searchParams.get('State') ?? undefined,
    });
    const max = Number(url.searchParams.get('MaxResults') ?? 100) || 100;
    const offset = Number(url.searchParams.get('NextToken') ?? 0) || 0;
    return {
      Schedules: all.slice(offset, offset + max).map(summary),
      ...(offset + max < all.length ? { NextToken: String(offset + max) } : {}),
    };
  }
  const groupMatch = /^\/schedule-groups(?:\/([^/]+))?$/.exec(path);
  if (groupMatch && method === 'GET') {
    const all = ['default', ...groups];
    const describe = (n: string) => ({
      Arn: `arn:aws:scheduler:::schedule-group/${n}`,
      Name: n,
      State: 'ACTIVE',
      CreationDate: 0,
      LastModificationDate: 0,
    });
    if (!groupMatch[1]) return { ScheduleGroups: all.map(describe) };
    const wanted = decodeURIComponent(groupMatch[1]);
    if (!all.includes(wanted))
      throw new ServiceError('ResourceNotFoundException', `Schedule group ${wanted} does not exist.`, 404);
    return describe(wanted);
  }
  throw new ServiceError('ValidationException', `${method} ${path} is not supported by the local Scheduler`);
}

/** EventBridge Scheduler's API on the wire (restJson1): `POST|PUT|GET|DELETE /schedules/{Name}`, `GET /schedules`. */
export async function handleScheduler(
  scheduler: LocalScheduler,
  groups: readonly string[],
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    const url = new URL(request.url ?? '/', 'http://local');
    const text = (await readBody(request)).toString('utf8');
    const body = text ? parseJson(text) : {};
    sendJson(
      response,
      200,
      route(scheduler, groups, request.method ?? 'GET', url, isJsonObject(body) ? body : {}),
    );
  } catch (error) {
    const e =
      error instanceof ServiceError ? error : new ServiceError('InternalServerException', String(error), 500);
    sendJson(response, e.status, { Message: e.message }, { 'x-amzn-errortype': e.code });
  }
}
