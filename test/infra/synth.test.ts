import { describe, expect, it } from 'vitest';
import { ENTRY_METADATA_KEY } from '#infra/constructs/house-function';
import { FUNCTIONS } from '#infra/functions';
import { synthesizeTemplate } from '#infra/synth';

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

describe('synthesizeTemplate (for tests and the local runtime)', () => {
  const { stackName, template } = synthesizeTemplate();
  const resources = template.Resources as Record<string, Resource>;

  it('keeps the logical ids the local runtime and deployed stacks rely on', () => {
    expect(stackName).toBe('Indeks');
    const ids = Object.keys(resources);
    for (const id of [
      'StorageUploadsBDC5E374',
      'StorageTableB43FDCE7',
      'SubmissionsStateMachineCA39E7F9',
      'NationalStateMachine858C661E',
      'MonitoringDeadLettersD99D287D',
    ]) {
      expect(ids, id).toContain(id);
    }
  });

  it('names each function entry file and its construct path in metadata', () => {
    const entries = Object.values(resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => ({ entry: r.Metadata?.[ENTRY_METADATA_KEY], path: r.Metadata?.['aws:cdk:path'] }));
    expect(entries.map((e) => e.entry).sort()).toEqual(
      Object.values(FUNCTIONS)
        .map((f) => f.entry)
        .sort(),
    );
    for (const e of entries) expect(e.path).toMatch(/^Indeks\/.+\/Function\/Resource$/);
  });

  it('exposes the resource names a local runtime needs through environment variables', () => {
    const variables = new Set(
      Object.values(resources)
        .filter((r) => r.Type === 'AWS::Lambda::Function')
        .flatMap((r) =>
          Object.keys((r.Properties?.Environment as { Variables?: object } | undefined)?.Variables ?? {}),
        ),
    );
    for (const name of [
      'TABLE_NAME',
      'UPLOAD_BUCKET',
      'SUBMISSION_STATE_MACHINE_ARN',
      'NATIONAL_STATE_MACHINE_ARN',
      'SCHEDULE_GROUP',
      'SCHEDULER_ROLE_ARN',
    ]) {
      expect(variables.has(name), name).toBe(true);
    }
  });
});
