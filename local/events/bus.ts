import { type Json, type JsonObject, parseJson } from '../json';
import type { LambdaRuntime } from '../lambda/invoke';
import type { Logger } from '../log';
import type { RuleSpec } from '../template/model';
import { compilePattern } from './pattern';

interface CompiledRule {
  rule: RuleSpec;
  matches: (event: Json) => boolean;
}

/**
 * The default event bus: each event is matched against every enabled rule of the template and
 * delivered to its Lambda targets as an asynchronous invocation (the function's own retries and
 * on-failure destination apply, as in AWS; the rule's own RetryPolicy covers delivery failures,
 * which cannot happen in-process). Targets other than Lambda functions of the template are
 * rejected at start, so a rule cannot silently lose its events locally.
 */
export class EventBus {
  private readonly rules: CompiledRule[];

  constructor(
    rules: readonly RuleSpec[],
    private readonly lambda: LambdaRuntime,
    private readonly logger: Logger,
  ) {
    this.rules = rules
      .filter((r) => r.enabled && r.eventBusName === 'default')
      .map((rule) => {
        for (const target of rule.targets) {
          if (!lambda.registry.find(target.arn)) {
            throw new Error(
              `${rule.logicalId}: target ${target.arn} is not a Lambda function of the template`,
            );
          }
        }
        return { rule, matches: compilePattern(rule.pattern) };
      });
  }

  get ruleCount(): number {
    return this.rules.length;
  }

  /** Delivers `event`; resolves when every matched target settled (after retries). */
  async put(event: JsonObject): Promise<{ rule: string; target: string; ok: boolean }[]> {
    const deliveries: Promise<{ rule: string; target: string; ok: boolean }>[] = [];
    for (const { rule, matches } of this.rules) {
      if (!matches(event)) continue;
      for (const target of rule.targets) {
        const fn = this.lambda.registry.get(target.arn);
        const payload: Json = target.input === undefined ? event : parseJson(target.input);
        this.logger.debug(`${rule.name} → ${fn.entry ?? fn.name}`);
        deliveries.push(
          this.lambda
            .invokeAsync(fn, payload, `rule ${rule.name}`)
            .then((result) => ({ rule: rule.name, target: fn.name, ok: result.ok })),
        );
      }
    }
    return Promise.all(deliveries);
  }
}
