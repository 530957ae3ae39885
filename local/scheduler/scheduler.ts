import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../atomic-file';
import type { LocalClock } from '../clock';
import { isJsonObject, type Json, type JsonObject, parseJson } from '../json';
import type { LambdaRuntime } from '../lambda/invoke';
import { errorText, type Logger } from '../log';
import { ServiceError } from '../stepfunctions/errors';
import { ExpressionError, nextOccurrence, parseExpression, type ScheduleExpression } from './expression';
import { isTimeZone } from './time-zone';

export interface Schedule {
  Name: string;
  GroupName: string;
  Arn: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  StartDate?: number;
  EndDate?: number;
  Description?: string;
  State: 'ENABLED' | 'DISABLED';
  FlexibleTimeWindow: JsonObject;
  Target: JsonObject;
  ActionAfterCompletion?: string;
  KmsKeyArn?: string;
  /** Epoch milliseconds, like every date here (the API speaks epoch seconds). */
  CreationDate: number;
  LastModificationDate: number;
  ClientToken?: string;
  /** Loaded from the template (recurring safety nets) rather than created through the API. */
  fromTemplate?: boolean;
  /** Occurrences up to this instant have fired (or were skipped as already past at creation). */
  firedUpTo: number;
  /** A one-time schedule that has fired. */
  completed?: boolean;
}

export interface Fired {
  name: string;
  group: string;
  /** When it was due (ISO); it fires late if the clock jumped past it. */
  due: string;
  ok: boolean;
  error?: string;
}

const NAME = /^[0-9a-zA-Z._-]{1,64}$/;
const MAX_TIMER = 2 ** 31 - 1;

export interface SchedulerOptions {
  clock: LocalClock;
  lambda: LambdaRuntime;
  logger: Logger;
  groups: readonly string[];
  region: string;
  accountId: string;
  storeFile?: string;
}

function compile(s: Pick<Schedule, 'ScheduleExpression' | 'ScheduleExpressionTimezone'>): ScheduleExpression {
  try {
    return parseExpression(s.ScheduleExpression, s.ScheduleExpressionTimezone ?? 'UTC');
  } catch (error) {
    throw new ServiceError(
      'ValidationException',
      error instanceof ExpressionError ? error.message : String(error),
    );
  }
}

/**
 * EventBridge Scheduler, locally: schedules created through the API (the cycle calendars) and the
 * template's own (the recurring safety net) fire their Lambda target in-process, with the
 * schedule's Input, when the local clock reaches them. A clock jump fires everything that became
 * due, one-time schedules in time order, each recurring schedule once (its missed occurrences
 * coalesced: the targets are idempotent catch-ups).
 */
/** Fired schedules remembered in `history`. */
const HISTORY_IN_MEMORY = 1000;

export class LocalScheduler {
  private readonly schedules = new Map<string, Schedule>();
  private readonly expressions = new Map<string, ScheduleExpression>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<Fired[]> = Promise.resolve([]);
  private saving: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly unsubscribe: () => void;
  readonly history: Fired[] = [];

  constructor(private readonly options: SchedulerOptions) {
    this.unsubscribe = options.clock.onChange(() => this.plan());
  }

  private key(group: string, name: string): string {
    return `${group}/${name}`;
  }

  async load(
    template: readonly Omit<Schedule, 'Arn' | 'CreationDate' | 'LastModificationDate' | 'firedUpTo'>[],
  ): Promise<void> {
    const file = this.options.storeFile;
    if (file) {
      try {
        const stored: unknown = JSON.parse(await readFile(file, 'utf8'));
        if (Array.isArray(stored)) {
          // Schedules the template no longer declares are gone, as after a deploy.
          const declared = new Set(template.map((t) => this.key(t.GroupName, t.Name)));
          for (const s of stored as Schedule[]) {
            if (!s.fromTemplate || declared.has(this.key(s.GroupName, s.Name))) this.put(s);
          }
        }
      } catch {
        // First start: nothing stored yet.
      }
    }
    const now = this.options.clock.now();
    for (const t of template) {
      const existing = this.schedules.get(this.key(t.GroupName, t.Name));
      this.put({
        ...t,
        Arn: this.arn(t.GroupName, t.Name),
        CreationDate: existing?.CreationDate ?? now,
        LastModificationDate: now,
        firedUpTo: existing?.firedUpTo ?? now,
        fromTemplate: true,
      });
    }
    this.persist();
  }

  private put(s: Schedule): void {
    const key = this.key(s.GroupName, s.Name);
    this.expressions.set(key, compile(s));
    this.schedules.set(key, s);
  }

  private arn(group: string, name: string): string {
    return `arn:aws:scheduler:${this.options.region}:${this.options.accountId}:schedule/${group}/${name}`;
  }

  private persist(): void {
    const file = this.options.storeFile;
    if (!file) return;
    const snapshot = JSON.stringify([...this.schedules.values()]);
    this.saving = this.saving
      .then(async () => {
        await writeFileAtomic(file, snapshot);
      })
      .catch((error: unknown) =>
        this.options.logger.warn(`jadwal tidak tersimpan / schedules not saved: ${errorText(error)}`),
      );
  }

  private validate(
    input: JsonObject,
    name: string,
  ): Omit<Schedule, 'Arn' | 'CreationDate' | 'LastModificationDate' | 'firedUpTo'> {
    const group = typeof input.GroupName === 'string' && input.GroupName ? input.GroupName : 'default';
    if (!NAME.test(name)) throw new ServiceError('ValidationException', `Invalid schedule name ${name}`);
    if (group !== 'default' && !this.options.groups.includes(group)) {
      throw new ServiceError('ResourceNotFoundException', `Schedule group ${group} does not exist.`, 404);
    }
    const expression = typeof input.ScheduleExpression === 'string' ? input.ScheduleExpression : '';
    const timezone =
      typeof input.ScheduleExpressionTimezone === 'string' ? input.ScheduleExpressionTimezone : undefined;
    if (timezone && !isTimeZone(timezone))
      throw new ServiceError('ValidationException', `Invalid time zone ${timezone}`);
    const target = isJsonObject(input.Target) ? input.Target : undefined;
    if (!target || typeof target.Arn !== 'string' || typeof target.RoleArn !== 'string') {
      throw new ServiceError('ValidationException', 'Target with Arn and RoleArn is required');
    }
    const window = isJsonObject(input.FlexibleTimeWindow) ? input.FlexibleTimeWindow : undefined;
    if (!window || (window.Mode !== 'OFF' && window.Mode !== 'FLEXIBLE')) {
      throw new ServiceError('ValidationException', 'FlexibleTimeWindow.Mode must be OFF or FLEXIBLE');
    }
    const seconds = (v: Json | undefined) => (typeof v === 'number' ? Math.round(v * 1000) : undefined);
    const schedule = {
      Name: name,
      GroupName: group,
      ScheduleExpression: expression,
      ...(timezone ? { ScheduleExpressionTimezone: timezone } : {}),
      ...(seconds(input.StartDate) !== undefined ? { StartDate: seconds(input.StartDate) } : {}),
      ...(seconds(input.EndDate) !== undefined ? { EndDate: seconds(input.EndDate) } : {}),
      ...(typeof input.Description === 'string' ? { Description: input.Description } : {}),
      State: input.State === 'DISABLED' ? ('DISABLED' as const) : ('ENABLED' as const),
      FlexibleTimeWindow: window,
      Target: target,
      ...(typeof input.ActionAfterCompletion === 'string'
        ? { ActionAfterCompletion: input.ActionAfterCompletion }
        : {}),
      ...(typeof input.KmsKeyArn === 'string' ? { KmsKeyArn: input.KmsKeyArn } : {}),
      ...(typeof input.ClientToken === 'string' ? { ClientToken: input.ClientToken } : {}),
    };
    compile(schedule);
    if (!this.options.lambda.registry.find(target.Arn)) {
      this.options.logger.warn(
        `jadwal ${name}: target ${target.Arn} bukan fungsi templat / schedule ${name}: target is not a function of the template`,
      );
    }
    return schedule;
  }

  create(name: string, input: JsonObject): Schedule {
    const s = this.validate(input, name);
    const key = this.key(s.GroupName, name);
    const existing = this.schedules.get(key);
    if (existing) {
      if (s.ClientToken && existing.ClientToken === s.ClientToken) return existing;
      throw new ServiceError('ConflictException', `Schedule ${name} already exists.`, 409);
    }
    const now = this.options.clock.now();
    const created: Schedule = {
      ...s,
      Arn: this.arn(s.GroupName, name),
      CreationDate: now,
      LastModificationDate: now,
      firedUpTo: now,
    };
    this.put(created);
    this.persist();
    this.plan();
    return created;
  }

  update(name: string, input: JsonObject): Schedule {
    const s = this.validate(input, name);
    const existing = this.get(name, s.GroupName);
    const now = this.options.clock.now();
    const changed =
      existing.ScheduleExpression !== s.ScheduleExpression ||
      existing.ScheduleExpressionTimezone !== s.ScheduleExpressionTimezone;
    const updated: Schedule = {
      ...s,
      Arn: existing.Arn,
      CreationDate: existing.CreationDate,
      LastModificationDate: now,
      // A moved one-time schedule (an extended deadline) fires again at its new time.
      firedUpTo: changed ? now : existing.firedUpTo,
      completed: changed ? false : existing.completed,
    };
    this.put(updated);
    this.persist();
    this.plan();
    return updated;
  }

  get(name: string, group = 'default'): Schedule {
    const s = this.schedules.get(this.key(group, name));
    if (!s) throw new ServiceError('ResourceNotFoundException', `Schedule ${name} does not exist.`, 404);
    return s;
  }

  delete(name: string, group = 'default'): void {
    this.get(name, group);
    this.schedules.delete(this.key(group, name));
    this.expressions.delete(this.key(group, name));
    this.persist();
    this.plan();
  }

  list(filter: { group?: string; prefix?: string; state?: string }): Schedule[] {
    return [...this.schedules.values()]
      .filter(
        (s) =>
          (!filter.group || s.GroupName === filter.group) &&
          (!filter.prefix || s.Name.startsWith(filter.prefix)) &&
          (!filter.state || s.State === filter.state),
      )
      .sort((a, b) => a.Name.localeCompare(b.Name));
  }

  /** When `s` is next due after what it already fired; undefined when it never fires again. */
  private nextDue(s: Schedule): number | undefined {
    if (s.State !== 'ENABLED' || s.completed) return undefined;
    const expression = this.expressions.get(this.key(s.GroupName, s.Name));
    if (!expression) return undefined;
    if (expression.kind === 'at') return expression.at;
    const from = Math.max(s.firedUpTo, (s.StartDate ?? 0) - 1);
    const next = nextOccurrence(
      expression,
      from,
      s.StartDate ?? s.CreationDate,
      s.ScheduleExpressionTimezone ?? 'UTC',
    );
    return next !== undefined && (s.EndDate === undefined || next <= s.EndDate) ? next : undefined;
  }

  /** (Re)arms the timer for the earliest due schedule. */
  private plan(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const dues = [...this.schedules.values()]
      .map((s) => this.nextDue(s))
      .filter((d): d is number => d !== undefined);
    if (dues.length === 0) return;
    const delay = Math.max(0, Math.min(...dues) - this.options.clock.now());
    this.timer = setTimeout(() => void this.tick(), Math.min(delay, MAX_TIMER));
    this.timer.unref();
  }

  /** Fires everything due by now (serialized: ticks never overlap), then re-arms the timer. */
  tick(): Promise<Fired[]> {
    this.ticking = this.ticking.then(() => this.fireDue());
    return this.ticking;
  }

  private async fireDue(): Promise<Fired[]> {
    const now = this.options.clock.now();
    const due = [...this.schedules.values()]
      .map((s) => ({ s, at: this.nextDue(s) }))
      .filter((d): d is { s: Schedule; at: number } => d.at !== undefined && d.at <= now)
      .sort((a, b) => a.at - b.at);
    const fired: Fired[] = [];
    for (const { s, at } of due) {
      if (this.stopped) break;
      const expression = this.expressions.get(this.key(s.GroupName, s.Name));
      if (expression?.kind === 'at') s.completed = true;
      s.firedUpTo = now;
      fired.push(await this.fire(s, at));
      if (s.completed && s.ActionAfterCompletion === 'DELETE') {
        this.schedules.delete(this.key(s.GroupName, s.Name));
      }
    }
    this.history.push(...fired);
    // What fired is for tests and the admin view; a season of schedules need not stay in memory.
    if (this.history.length > HISTORY_IN_MEMORY)
      this.history.splice(0, this.history.length - HISTORY_IN_MEMORY);
    this.persist();
    this.plan();
    return fired;
  }

  private async fire(s: Schedule, at: number): Promise<Fired> {
    const base = { name: s.Name, group: s.GroupName, due: new Date(at).toISOString() };
    const arn = typeof s.Target.Arn === 'string' ? s.Target.Arn : '';
    const fn = this.options.lambda.registry.find(arn);
    if (!fn) {
      this.options.logger.error(`jadwal ${s.Name}: target ${arn} tidak dikenal / unknown target`);
      return { ...base, ok: false, error: `unknown target ${arn}` };
    }
    let input: Json = {};
    if (typeof s.Target.Input === 'string') {
      try {
        input = parseJson(s.Target.Input);
      } catch {
        input = s.Target.Input;
      }
    }
    this.options.logger.info(
      `jadwal / schedule ${s.GroupName}/${s.Name} (${base.due}) → ${fn.entry ?? fn.name}`,
    );
    const result = await this.options.lambda.invokeAsync(fn, input, `schedule ${s.GroupName}/${s.Name}`);
    return result.ok
      ? { ...base, ok: true }
      : { ...base, ok: false, error: `${result.error.errorType}: ${result.error.errorMessage}` };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.unsubscribe();
    await this.ticking.catch(() => {});
    await this.saving;
  }
}
