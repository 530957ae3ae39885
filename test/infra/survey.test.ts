import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#infra/synth';
import { type CfnResource, placeholder, type Synthesized, synthesize } from './template-helpers';

/** The survey channel's deployment settings (issue 14): where invitations point, the form's limit. */
let s: Synthesized;
beforeAll(() => {
  s = synthesize();
});

const functionOf = (resources: Record<string, CfnResource>, entry: string) => {
  const found = Object.values(resources).find(
    (r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['indeks:entry'] === entry,
  );
  if (!found) throw new Error(`no function for ${entry}`);
  return found;
};
const envOf = (r: CfnResource) =>
  ((r.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ??
    {}) as Record<string, unknown>;

describe('survey channel deployment settings', () => {
  it("points invitation links at the dashboard's CloudFront domain + /survey/", () => {
    const env = envOf(functionOf(s.resources, 'functions/api-survey.ts'));
    const cdn = s.idOf('Dashboard/Cdn/Resource');
    expect(placeholder(env.SURVEY_FORM_URL)).toBe(`https://@GetAtt(${cdn}.DomainName)/survey/`);
    // Only the route that issues invitations knows the address.
    expect(envOf(functionOf(s.resources, 'functions/survey-form.ts')).SURVEY_FORM_URL).toBeUndefined();
  });

  it('serves survey/ as survey/index.html through a viewer-request CloudFront Function', () => {
    const fn = Object.entries(s.resources).find(([, r]) => r.Type === 'AWS::CloudFront::Function');
    expect(fn).toBeDefined();
    expect(String(fn?.[1].Properties?.FunctionCode)).toContain("r.uri += 'index.html'");
    const cdn = s.at('Dashboard/Cdn/Resource');
    const config = cdn.Properties?.DistributionConfig as { DefaultCacheBehavior: Record<string, unknown> };
    const behavior = config.DefaultCacheBehavior;
    expect(behavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fn?.[0], 'FunctionARN'] } },
    ]);
  });

  it('keeps the strict default per-client limit unless the deployment sets one', () => {
    expect(
      envOf(functionOf(s.resources, 'functions/survey-form.ts')).SURVEY_CLIENT_LIMIT_PER_MINUTE,
    ).toBeUndefined();
    const { stack } = createApp({
      bundle: false,
      cfnValidation: false,
      context: { 'indeks:surveyClientLimit': '600' },
    });
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, CfnResource>;
    expect(envOf(functionOf(resources, 'functions/survey-form.ts')).SURVEY_CLIENT_LIMIT_PER_MINUTE).toBe(
      '600',
    );
    expect(() =>
      createApp({ bundle: false, cfnValidation: false, context: { 'indeks:surveyClientLimit': 'lots' } }),
    ).toThrow(/surveyClientLimit/);
  });
});
