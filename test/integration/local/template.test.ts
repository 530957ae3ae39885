import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, TEMPLATE_CACHE_DIR } from '#local/config';
import type { JsonObject } from '#local/json';
import { silentLogger } from '#local/log';
import { loadTemplate } from '#local/template/load';
import { LocalTemplate } from '#local/template/model';
import { resolveValue, UnresolvableError } from '#local/template/resolve';

let template: LocalTemplate;

beforeAll(async () => {
  const loaded = await loadTemplate({
    projectRoot: PROJECT_ROOT,
    cacheDir: TEMPLATE_CACHE_DIR,
    logger: silentLogger,
  });
  template = new LocalTemplate(loaded.stackName, loaded.template);
});

/** Any CloudFormation intrinsic left in a resolved value. */
function intrinsics(value: unknown, at = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => intrinsics(v, `${at}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) =>
      k === 'Ref' || k.startsWith('Fn::') ? [`${at}.${k}`] : intrinsics(v, `${at}.${k}`),
    );
  }
  return typeof value === 'string' && /\$\{Token\[/.test(value) ? [at] : [];
}

describe('token resolution on the synthesized template', () => {
  it('resolves every function environment to plain strings pointing at local resources', () => {
    const [table] = template.tables();
    const uploads = template.buckets().find((b) => b.logicalId.includes('Uploads'));
    expect(table).toBeDefined();
    for (const fn of template.functions()) {
      expect(intrinsics(fn.environment), fn.logicalId).toEqual([]);
      if (fn.environment.TABLE_NAME) expect(fn.environment.TABLE_NAME).toBe(table?.name);
      if (fn.environment.UPLOAD_BUCKET) expect(fn.environment.UPLOAD_BUCKET).toBe(uploads?.name);
    }
    const cycles = template.functions().find((f) => f.entry === 'functions/api-cycles.ts');
    const transition = template.functions().find((f) => f.entry === 'functions/cycle-transition.ts');
    expect(cycles?.environment.CYCLE_TRANSITION_FUNCTION_ARN).toBe(transition?.arn);
    expect(cycles?.environment.SCHEDULER_ROLE_ARN).toMatch(/^arn:aws:iam::000000000000:role\//);
    const ingest = template.functions().find((f) => f.entry === 'functions/ingest-upload.ts');
    const submissions = template.stateMachines().find((m) => m.logicalId.startsWith('Submissions'));
    expect(ingest?.environment.SUBMISSION_STATE_MACHINE_ARN).toBe(submissions?.arn);
  });

  it('maps every Lambda to an existing functions/*.ts entry through its metadata', () => {
    const functions = template.functions();
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      expect(fn.entry, fn.path).toMatch(/^functions\/[a-z-]+\.ts$/);
      expect(existsSync(join(PROJECT_ROOT, fn.entry ?? '')), fn.entry).toBe(true);
    }
  });

  it('turns each DefinitionString into plain JSON whose Lambda resources are template functions', () => {
    const arns = new Set(template.functions().map((f) => f.arn));
    const machines = template.stateMachines();
    expect(machines.length).toBeGreaterThanOrEqual(2);
    for (const machine of machines) {
      expect(intrinsics(machine.definition), machine.logicalId).toEqual([]);
      const resources = JSON.stringify(machine.definition).match(/arn:aws:lambda:[^"]+/g) ?? [];
      for (const arn of resources) expect(arns.has(arn), arn).toBe(true);
    }
  });

  it('resolves the event rule, the schedule and the JWT authorizer', () => {
    const [rule] = template.rules();
    const uploads = template.buckets().find((b) => b.logicalId.includes('Uploads'));
    expect(rule?.pattern).toMatchObject({
      detail: { bucket: { name: [uploads?.name] }, object: { key: [{ prefix: 'submissions/' }] } },
    });
    const [schedule] = template.schedules();
    expect(schedule?.properties.ScheduleExpressionTimezone).toBe('Asia/Jakarta');
    expect(template.functions().some((f) => f.arn === schedule?.properties.Target.Arn)).toBe(true);
    const [api] = template.httpApis();
    const secured = api?.routes.find((r) => r.authorizer);
    expect(secured?.authorizer?.issuer).toMatch(
      /^https:\/\/cognito-idp\.ap-southeast-3\.amazonaws\.com\/ap-southeast-3_/,
    );
    expect(secured?.authorizer?.audience).toHaveLength(1);
    expect(api?.routes.find((r) => r.routeKey === 'GET /health')?.authorizer).toBeUndefined();
  });
});

describe('resolver', () => {
  const context = new LocalTemplate('Stack', {
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
      Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} },
      Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
    },
  }).context;
  const resolve = (value: JsonObject) => resolveValue(value, context);

  it('handles Join, Sub (with variables and GetAtt), Select, Split and pseudo parameters', () => {
    expect(
      resolve({
        'Fn::Join': ['-', [{ Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }, { Ref: 'AWS::Partition' }]],
      }),
    ).toBe('ap-southeast-3-000000000000-aws');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template.
    expect(resolve({ 'Fn::Sub': 'https://${AWS::StackName}.${AWS::URLSuffix}/${Fn.Arn}' })).toBe(
      'https://Stack.amazonaws.com/arn:aws:lambda:ap-southeast-3:000000000000:function:Stack-Fn',
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template.
    expect(resolve({ 'Fn::Sub': ['${A}/${!Literal}', { A: { Ref: 'Bucket' } }] })).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub's escaped literal, kept as written.
      'stack-bucket/${Literal}',
    );
    expect(resolve({ 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] })).toBe('b');
    expect(resolve({ Ref: 'Machine' })).toBe(
      'arn:aws:states:ap-southeast-3:000000000000:stateMachine:Machine',
    );
    expect(resolve({ 'Fn::GetAtt': ['Machine', 'Name'] })).toBe('Machine');
    expect(resolve({ 'Fn::GetAtt': 'Fn.Arn' })).toBe(
      'arn:aws:lambda:ap-southeast-3:000000000000:function:Stack-Fn',
    );
  });

  it('refuses what it cannot reproduce instead of guessing', () => {
    expect(() => resolve({ Ref: 'Missing' })).toThrow(UnresolvableError);
    expect(() => resolve({ 'Fn::If': ['C', 'a', 'b'] })).toThrow(/not supported/);
    expect(() => resolve({ 'Fn::GetAtt': ['Fn', 'Nope'] })).toThrow(/Fn.Nope/);
  });
});
