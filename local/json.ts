/** Plain JSON, as CloudFormation templates, state machine I/O and Lambda payloads are. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export type JsonObject = { [key: string]: Json };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What a value becomes after crossing a Lambda or Step Functions boundary: serialized and parsed
 * again, so Dates become strings, undefined disappears and no caller shares a mutable object.
 */
export function throughJson(value: unknown): Json {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as Json);
}

export function parseJson(text: string): Json {
  return JSON.parse(text) as Json;
}
