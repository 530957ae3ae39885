import type { EventBus } from './events/bus';
import type { FunctionRegistry } from './lambda/registry';
import type { LocalScheduler } from './scheduler/scheduler';
import type { CompiledMachine } from './stepfunctions/definition';
import type { HttpApiSpec, LocalTemplate } from './template/model';

export interface TaskReport {
  state: string;
  kind: 'lambda' | 'dynamodb' | 'distributedMap';
  /** Entry file of the handler a Lambda task runs (undefined when chosen at run time). */
  entry?: string;
  action?: string;
}

/** What the runtime built from the template: for the "nothing diverges locally" test and for humans. */
export interface RuntimeReport {
  tables: { logicalId: string; name: string; created: boolean }[];
  buckets: { logicalId: string; name: string; created: boolean }[];
  functions: { logicalId: string; name: string; entry: string | undefined }[];
  stateMachines: { logicalId: string; arn: string; tasks: TaskReport[] }[];
  rules: number;
  schedules: { group: string; name: string }[];
  routes: { routeKey: string; entry: string | undefined; jwt: boolean }[];
}

export function buildReport(input: {
  template: LocalTemplate;
  machines: readonly CompiledMachine[];
  registry: FunctionRegistry;
  tablesCreated: readonly string[];
  bucketsCreated: readonly string[];
  api: HttpApiSpec;
  events: EventBus;
  scheduler: LocalScheduler;
}): RuntimeReport {
  const { template, registry } = input;
  return {
    tables: template
      .tables()
      .map((t) => ({ logicalId: t.logicalId, name: t.name, created: input.tablesCreated.includes(t.name) })),
    buckets: template
      .buckets()
      .map((b) => ({ logicalId: b.logicalId, name: b.name, created: input.bucketsCreated.includes(b.name) })),
    functions: registry.functions.map((f) => ({ logicalId: f.logicalId, name: f.name, entry: f.entry })),
    stateMachines: input.machines.map((m) => ({
      logicalId: m.spec.logicalId,
      arn: m.spec.arn,
      tasks: [...m.tasks].map(([state, target]): TaskReport => {
        if (target.kind === 'lambda') return { state, kind: 'lambda', entry: target.function?.entry };
        if (target.kind === 'dynamodb') return { state, kind: 'dynamodb', action: target.action };
        return { state, kind: 'distributedMap' };
      }),
    })),
    rules: input.events.ruleCount,
    schedules: input.scheduler.list({}).map((s) => ({ group: s.GroupName, name: s.Name })),
    routes: input.api.routes.map((r) => ({
      routeKey: r.routeKey,
      entry: registry.find(r.functionArn)?.entry,
      jwt: r.authorizer !== undefined,
    })),
  };
}
