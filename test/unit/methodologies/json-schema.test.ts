import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { methodologyIds } from '#domain/methodology/registry';
import { METHODOLOGY_JSON_SCHEMA_PATH, methodologyJsonSchema } from '#scripts/methodology-json-schema';
import { readMethodologyJson } from './helpers';

describe('methodologies/methodology.schema.json', () => {
  it('is the JSON Schema generated from the zod schema (run `npx tsx scripts/methodology-json-schema.ts`)', () => {
    // Compared as data: the committed file is laid out by Biome, the generator by JSON.stringify.
    const committed: unknown = JSON.parse(readFileSync(METHODOLOGY_JSON_SCHEMA_PATH, 'utf8'));
    expect(committed).toStrictEqual(JSON.parse(methodologyJsonSchema()));
  });

  it('describes the input form: fields with defaults are optional, unknown keys are refused', () => {
    const schema = JSON.parse(methodologyJsonSchema()) as {
      required: string[];
      additionalProperties: boolean;
    };
    expect(schema.required).toEqual(
      expect.arrayContaining(['id', 'index', 'period', 'indicators', 'root', 'predikat', 'clusters']),
    );
    expect(schema.required).not.toContain('groups');
    expect(schema.required).not.toContain('eligibility');
    expect(schema.additionalProperties).toBe(false);
  });

  it.each(methodologyIds())('%s points editors at it through "$schema"', (id) => {
    expect(readMethodologyJson(id).$schema).toBe('./methodology.schema.json');
  });
});
