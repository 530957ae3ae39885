import { beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_METADATA_KEY } from '#infra/constructs/house-function';
import { FUNCTIONS } from '#infra/functions';
import { placeholder, type Synthesized, synthesize } from './template-helpers';

interface Statement {
  actions: string[];
  resources: string[];
  condition?: unknown;
}

interface FunctionGrants {
  entry: string;
  statements: Statement[];
  env: Record<string, unknown>;
  runtime: unknown;
  properties: Record<string, unknown>;
}

let s: Synthesized;
let grants: Map<string, FunctionGrants>;
let uploads: string;
let table: string;

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function statementsOfRole(roleId: string): Statement[] {
  const out: Statement[] = [];
  for (const resource of Object.values(s.resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    const roles = asArray(resource.Properties?.Roles as unknown[]).map(placeholder);
    if (!roles.includes(`@Ref(${roleId})`)) continue;
    const doc = resource.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] };
    for (const st of doc.Statement) {
      if (st.Effect !== 'Allow') continue;
      out.push({
        actions: asArray(st.Action as string | string[]),
        resources: asArray(st.Resource as unknown).map(placeholder),
        condition: st.Condition,
      });
    }
  }
  return out;
}

beforeAll(() => {
  s = synthesize();
  uploads = `@GetAtt(${s.idOf('Storage/Uploads/Resource')}.Arn)`;
  table = `@GetAtt(${s.idOf('Storage/Table/Resource')}.Arn)`;
  grants = new Map();
  for (const resource of Object.values(s.resources)) {
    const entry = resource.Metadata?.[ENTRY_METADATA_KEY];
    if (resource.Type !== 'AWS::Lambda::Function' || typeof entry !== 'string') continue;
    const props = resource.Properties ?? {};
    const roleId = (props.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    grants.set(entry, {
      entry,
      statements: statementsOfRole(roleId),
      env: (props.Environment as { Variables: Record<string, unknown> }).Variables,
      runtime: props.Runtime,
      properties: props,
    });
  }
});

const g = (entry: string): FunctionGrants => {
  const found = grants.get(entry);
  if (!found) throw new Error(`no function for ${entry}`);
  return found;
};

/** `{ 'submissions/*': 'read' | 'write' | 'readWrite' }` from a function's S3 statements. */
function objectAccess(entry: string): Record<string, string> {
  const byPrefix: Record<string, Set<string>> = {};
  for (const st of g(entry).statements) {
    for (const resource of st.resources) {
      if (!resource.startsWith(`${uploads}/`)) continue;
      const prefix = resource.slice(uploads.length + 1);
      byPrefix[prefix] ??= new Set();
      for (const a of st.actions) {
        if (a === 's3:GetObject') byPrefix[prefix].add('read');
        if (a === 's3:PutObject') byPrefix[prefix].add('write');
      }
    }
  }
  return Object.fromEntries(
    Object.entries(byPrefix).map(([p, set]) => [p, set.size === 2 ? 'readWrite' : [...set].join('')]),
  );
}

function tableAccess(entry: string): string | undefined {
  const actions = new Set(
    g(entry)
      .statements.filter((st) => st.resources.includes(table))
      .flatMap((st) => st.actions),
  );
  const read = actions.has('dynamodb:GetItem') && actions.has('dynamodb:Query');
  const write = actions.has('dynamodb:PutItem') && actions.has('dynamodb:UpdateItem');
  return read && write ? 'readWrite' : read ? 'read' : write ? 'write' : undefined;
}

const BASE_ENV = [
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
  'NODE_OPTIONS',
  'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_SERVICE_NAME',
];

const EXPECTED: Record<string, { table?: string; objects: Record<string, string>; env: string[] }> = {
  'functions/request-upload.ts': {
    table: 'read',
    objects: { 'submissions/*': 'write' },
    env: ['TABLE_NAME', 'UPLOAD_BUCKET'],
  },
  'functions/ingest-upload.ts': {
    table: 'readWrite',
    objects: {},
    env: ['SUBMISSION_STATE_MACHINE_ARN', 'TABLE_NAME', 'UPLOAD_BUCKET'],
  },
  'functions/validate-submission.ts': {
    table: 'readWrite',
    objects: { 'submissions/*': 'read', 'reports/*': 'write' },
    env: ['TABLE_NAME', 'UPLOAD_BUCKET'],
  },
  'functions/score-submission.ts': {
    table: 'readWrite',
    objects: { 'submissions/*': 'read', 'reports/*': 'read', 'scorecards/*': 'write' },
    env: ['TABLE_NAME', 'UPLOAD_BUCKET'],
  },
  'functions/record-submission-failure.ts': { table: 'readWrite', objects: {}, env: ['TABLE_NAME'] },
  'functions/sweep-submissions.ts': {
    table: 'readWrite',
    objects: { 'submissions/*': 'read' },
    env: ['SUBMISSION_STATE_MACHINE_ARN', 'TABLE_NAME', 'UPLOAD_BUCKET'],
  },
  'functions/freeze-manifest.ts': {
    table: 'readWrite',
    objects: { 'runs/*': 'readWrite' },
    env: ['TABLE_NAME', 'UPLOAD_BUCKET'],
  },
  'functions/revalidate-region-batch.ts': {
    // IKKD survey-channel answers (writes only to settle a parked answer).
    table: 'readWrite',
    objects: { 'reports/*': 'read', 'runs/*': 'readWrite' },
    env: ['TABLE_NAME', 'UPLOAD_BUCKET'],
  },
  'functions/aggregate-run.ts': {
    table: 'readWrite',
    objects: { 'runs/*': 'readWrite' },
    env: ['TABLE_NAME', 'UPLOAD_BUCKET'],
  },
  'functions/mark-run-provisional.ts': {
    table: 'readWrite',
    objects: {},
    env: ['LEDGER_BUCKET', 'TABLE_NAME'],
  },
  'functions/cycle-transition.ts': {
    table: 'readWrite',
    objects: {},
    env: ['NATIONAL_STATE_MACHINE_ARN', 'TABLE_NAME'],
  },
  'functions/api-cycles.ts': {
    table: 'readWrite',
    objects: {},
    env: [
      'CYCLE_TRANSITION_FUNCTION_ARN',
      'LEDGER_BUCKET',
      'NATIONAL_STATE_MACHINE_ARN',
      'SCHEDULER_DLQ_ARN',
      'SCHEDULER_ROLE_ARN',
      'SCHEDULE_GROUP',
      'TABLE_NAME',
    ],
  },
  'functions/api-submissions.ts': {
    table: 'read',
    objects: { 'reports/*': 'read', 'scorecards/*': 'read' },
    env: ['TABLE_NAME', 'UPLOAD_BUCKET'],
  },
  'functions/api-results.ts': {
    table: 'read',
    objects: { 'runs/*': 'read' },
    env: ['TABLE_NAME', 'UPLOAD_BUCKET'],
  },
  'functions/api-bundle.ts': {
    table: 'read',
    objects: { 'runs/*': 'readWrite' },
    env: ['INDEKS_GIT_COMMIT', 'TABLE_NAME', 'UPLOAD_BUCKET'],
  },
  'functions/api-survey.ts': { table: 'readWrite', objects: {}, env: ['TABLE_NAME'] },
  'functions/survey-form.ts': { table: 'readWrite', objects: {}, env: ['TABLE_NAME'] },
  'functions/api-verification.ts': {
    table: 'readWrite',
    objects: { 'reports/*': 'read', 'submissions/*': 'read' },
    env: ['TABLE_NAME', 'UPLOAD_BUCKET'],
  },
};

describe('house functions', () => {
  it('exist for every catalog entry, and every Lambda of the stack is a house function', () => {
    expect([...grants.keys()].sort()).toEqual(
      Object.values(FUNCTIONS)
        .map((f) => f.entry)
        .sort(),
    );
    const lambdas = Object.values(s.resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(lambdas).toHaveLength(grants.size);
  });

  it('run the newest Node runtime on ARM64 with explicit memory, timeout, tracing, JSON logs', () => {
    for (const fn of grants.values()) {
      expect(fn.properties, fn.entry).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: expect.objectContaining({ LogFormat: 'JSON' }),
      });
      expect(fn.properties.MemorySize).toBeGreaterThanOrEqual(256);
      expect(fn.properties.Timeout).toBeGreaterThan(3);
      expect(fn.env.NODE_OPTIONS).toBe('--enable-source-maps');
    }
  });

  it('each has its own log group with retention', () => {
    for (const fn of grants.values()) {
      const group = (fn.properties.LoggingConfig as { LogGroup: unknown }).LogGroup;
      const id = placeholder(group).replace(/^@Ref\((.*)\)$/, '$1');
      expect(s.resources[id]?.Properties?.RetentionInDays, fn.entry).toBeGreaterThan(0);
    }
  });
});

describe('grants per function', () => {
  it('pair each environment variable with its narrowest grant', () => {
    for (const [entry, expected] of Object.entries(EXPECTED)) {
      expect(tableAccess(entry), `${entry} table`).toBe(expected.table);
      expect(objectAccess(entry), `${entry} objects`).toEqual(expected.objects);
      expect(Object.keys(g(entry).env).sort(), `${entry} env`).toEqual([...expected.env, ...BASE_ENV].sort());
    }
  });

  it('never use a wildcard action, never Scan, and use Resource * only for X-Ray', () => {
    for (const fn of grants.values()) {
      for (const st of fn.statements) {
        for (const action of st.actions) expect(action, fn.entry).not.toMatch(/\*/);
        expect(st.actions, fn.entry).not.toContain('dynamodb:Scan');
        if (st.resources.includes('*'))
          expect(
            st.actions.every((a) => a.startsWith('xray:')),
            fn.entry,
          ).toBe(true);
      }
    }
  });

  it('scope every object grant to a prefix, never the whole bucket', () => {
    for (const fn of grants.values()) {
      for (const st of fn.statements) {
        // Listing is a bucket action: allowed only with an s3:prefix condition (checked below).
        if (st.actions.includes('s3:ListBucket')) continue;
        for (const resource of st.resources) {
          if (resource.startsWith(uploads))
            expect(resource, fn.entry).toMatch(
              /^@GetAtt\([^)]+\)\/(submissions|reports|scorecards|runs)\/\*$/,
            );
        }
      }
    }
  });

  it('give table access on the table and its two indexes only (index access = Query)', () => {
    for (const fn of grants.values()) {
      for (const st of fn.statements) {
        const indexResources = st.resources.filter((r) => r.startsWith(`${table}/index/`));
        if (indexResources.length > 0) {
          expect(st.actions).toEqual(['dynamodb:Query']);
          expect(indexResources).toEqual([`${table}/index/gsi1`, `${table}/index/gsi2`]);
        }
      }
    }
  });

  it('let only the sweeper list the upload bucket, and only under submissions/', () => {
    const listing = [...grants.values()].flatMap((fn) =>
      fn.statements.filter((st) => st.actions.includes('s3:ListBucket')).map((st) => [fn.entry, st]),
    );
    expect(listing).toEqual([
      [
        'functions/sweep-submissions.ts',
        {
          actions: ['s3:ListBucket'],
          resources: [uploads],
          condition: { StringLike: { 's3:prefix': ['submissions/*'] } },
        },
      ],
    ]);
  });

  it('let only ingest-upload, the sweeper, cycle-transition and api-cycles (re-runs) start executions, each on its own machine', () => {
    const starters = [...grants.values()].flatMap((fn) =>
      fn.statements
        .filter((st) => st.actions.includes('states:StartExecution'))
        .map((st) => [fn.entry, st.resources]),
    );
    expect(starters).toEqual(
      expect.arrayContaining([
        ['functions/ingest-upload.ts', [`@Ref(${s.idOf('Submissions/StateMachine/Resource')})`]],
        ['functions/sweep-submissions.ts', [`@Ref(${s.idOf('Submissions/StateMachine/Resource')})`]],
        ['functions/cycle-transition.ts', [`@Ref(${s.idOf('National/StateMachine/Resource')})`]],
        ['functions/api-cycles.ts', [`@Ref(${s.idOf('National/StateMachine/Resource')})`]],
      ]),
    );
    expect(starters).toHaveLength(4);
  });

  it('let cycle-transition and api-cycles describe national executions only (runs follow their execution)', () => {
    const describers = [...grants.values()].flatMap((fn) =>
      fn.statements
        .filter((st) => st.actions.includes('states:DescribeExecution'))
        .map((st) => [fn.entry, st.actions, st.resources]),
    );
    const nationalExecutions = expect.stringMatching(
      new RegExp(`:execution:.*${s.idOf('National/StateMachine/Resource')}.*:\\*$`),
    );
    expect(describers).toEqual(
      expect.arrayContaining([
        ['functions/cycle-transition.ts', ['states:DescribeExecution'], [nationalExecutions]],
        ['functions/api-cycles.ts', ['states:DescribeExecution'], [nationalExecutions]],
      ]),
    );
  });

  it('let only api-cycles manage cycle schedules (in the cycle group) and pass the scheduler role', () => {
    const scheduling = [...grants.values()].filter((fn) =>
      fn.statements.some((st) => st.actions.some((a) => a.startsWith('scheduler:') || a === 'iam:PassRole')),
    );
    expect(scheduling.map((fn) => fn.entry)).toEqual(['functions/api-cycles.ts']);
    const statements = g('functions/api-cycles.ts').statements;
    const schedulerStatement = statements.find((st) => st.actions.includes('scheduler:CreateSchedule'));
    expect(schedulerStatement?.actions).toEqual(
      expect.arrayContaining(['scheduler:CreateSchedule', 'scheduler:UpdateSchedule']),
    );
    expect(schedulerStatement?.resources).toEqual([
      expect.stringMatching(/:schedule\/Indeks-Schedules-Group-[A-Z0-9]+\/\*$/),
    ]);
    const passRole = statements.find((st) => st.actions.includes('iam:PassRole'));
    expect(passRole?.resources).toEqual([`@GetAtt(${s.idOf('Schedules/SchedulerRole/Resource')}.Arn)`]);
    expect(passRole?.condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
    });
  });

  it('grant state machines only their own functions, runs/ objects and the run record update', () => {
    for (const path of ['Submissions/StateMachine/Role', 'National/StateMachine/Role']) {
      const statements = statementsOfRole(s.idOf(`${path}/Resource`));
      for (const st of statements) {
        for (const action of st.actions) expect(action).not.toMatch(/^[a-z0-9]+:\*$|^\*$/);
        for (const resource of st.resources) {
          if (resource.startsWith(uploads)) expect(resource).toBe(`${uploads}/runs/*`);
        }
        if (st.resources.includes('*')) {
          expect(st.actions.every((a) => a.startsWith('xray:') || a.startsWith('logs:'))).toBe(true);
        }
      }
    }
  });
});

describe('ledger bucket grants', () => {
  it('only the two publishing functions write ledger exports: PutObject + PutObjectRetention on ledger/*', () => {
    const ledger = `@GetAtt(${s.idOf('Storage/Ledger/Resource')}.Arn)`;
    const writers: Record<string, string[]> = {};
    for (const [entry, fn] of grants) {
      for (const st of fn.statements) {
        if (!st.resources.some((r) => r.startsWith(ledger))) continue;
        expect(st.resources).toEqual([`${ledger}/ledger/*`]);
        writers[entry] = [...(writers[entry] ?? []), ...st.actions].sort();
      }
      const everything = fn.statements.flatMap((st) => st.actions);
      expect(everything).not.toContain('s3:BypassGovernanceRetention');
      expect(everything).not.toContain('s3:DeleteObjectVersion');
    }
    expect(writers).toEqual({
      'functions/api-cycles.ts': ['s3:PutObject', 's3:PutObjectRetention'],
      'functions/mark-run-provisional.ts': ['s3:PutObject', 's3:PutObjectRetention'],
    });
  });
});
