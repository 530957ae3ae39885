import { Validations } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { nagPacks } from '#infra/nag';
import { createApp } from '#infra/synth';

interface Finding {
  rule: string;
  severity: string;
  path: string;
}

const findings = (all: boolean): Finding[] => {
  const { app } = createApp({ bundle: false, cfnValidation: false });
  const out: Finding[] = [];
  for (const pack of nagPacks()) {
    // With `all`, acknowledgements are ignored so that each one can be matched to a real finding.
    if (all) Reflect.set(pack, 'isAcknowledged', () => false);
    for (const violation of pack.validateScope(app).violations) {
      for (const resource of violation.violatingResources) {
        out.push({
          rule: violation.ruleName,
          severity: violation.severity ?? '',
          path: resource.constructPath ?? '',
        });
      }
    }
  }
  return out;
};

const acknowledgements = () => {
  const { app } = createApp({ bundle: false, cfnValidation: false });
  const out: { id: string; reason: string; path: string }[] = [];
  for (const construct of app.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        out.push({ id: id.replace(/^annotation::/i, ''), reason, path: construct.node.path });
      }
    }
  }
  return out;
};

describe('cdk-nag (AwsSolutions + Serverless)', () => {
  it('has no unacknowledged error or warning', () => {
    const open = findings(false);
    expect(open.map((f) => `${f.severity} ${f.rule} at ${f.path}`)).toEqual([]);
  });

  it('gives every acknowledgement a reason and matches each to a real finding (none stale)', () => {
    const all = findings(true);
    const acks = acknowledgements();
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) expect(ack.reason.length, ack.id).toBeGreaterThanOrEqual(20);
    const stale = acks.filter(
      (ack) =>
        !all.some((f) => f.rule === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`))),
    );
    expect(stale.map((a) => `${a.id} at ${a.path}`)).toEqual([]);
  });

  it('never acknowledges a wildcard on a whole data resource', () => {
    const wide = acknowledgements().filter(
      (a) =>
        a.id.startsWith('AwsSolutions-IAM5[Resource::') && /(Uploads|Table)[A-Z0-9]*\.Arn>\/\*\]$/.test(a.id),
    );
    expect(wide).toEqual([]);
  });
});
