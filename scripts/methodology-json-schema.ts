import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { methodologySchema } from '#domain/methodology/schema';

export const METHODOLOGY_JSON_SCHEMA_PATH = fileURLToPath(
  new URL('../methodologies/methodology.schema.json', import.meta.url),
);

/**
 * The JSON Schema editors use to validate methodology files as they are typed. It describes the
 * input (fields with defaults are optional) and cannot say what consistency.ts checks on load.
 */
export function methodologyJsonSchema(): string {
  const schema = z.toJSONSchema(methodologySchema, { io: 'input' });
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(METHODOLOGY_JSON_SCHEMA_PATH, methodologyJsonSchema());
  // Formatted as `biome check` wants it, so regenerating never leaves the lint red.
  execFileSync('npx', ['biome', 'format', '--write', METHODOLOGY_JSON_SCHEMA_PATH], { stdio: 'inherit' });
  console.log(`wrote ${METHODOLOGY_JSON_SCHEMA_PATH}`);
}
