/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the handlers validate with, so it
 * cannot drift from the code. Each API module lists its operations; `openApiDocument` merges any
 * number of lists (api-cycles serves the merged document at GET /openapi.json).
 */
import * as z from 'zod';

export interface ApiOperation {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI path template, as in infra/constructs/api.ts ROUTES. */
  path: string;
  operationId: string;
  tags: string[];
  summary: string;
  description: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** JSON request body. */
  body?: z.ZodType;
  /** The success JSON body (absent: no JSON body, e.g. a file download in `alternatives`). */
  response?: z.ZodType;
  /** Success status; default 200. */
  status?: number;
  /** Other (or only) representations of the success response: media type → description. */
  alternatives?: Record<string, string>;
  /** ETag + Cache-Control; 304 on a matching If-None-Match. */
  cacheable?: boolean;
  /** Public (no token). */
  public?: boolean;
  /** Error statuses → description (each answered with a problem document). */
  errors: Record<number, string>;
}

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** RFC 9457 problem document as shared/http/api.ts renders it (bilingual). */
const PROBLEM_DETAILS: JsonObject = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'detail_id'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'English.' },
    detail_id: { type: 'string', description: 'Bahasa Indonesia.' },
    problems: {
      type: 'array',
      description: 'Every input to fix, when the request was invalid.',
      items: {
        type: 'object',
        required: ['code', 'severity', 'location', 'message_id', 'message_en'],
        properties: {
          code: { type: 'string' },
          severity: { type: 'string', enum: ['error', 'warning'] },
          location: { type: 'object' },
          message_id: { type: 'string' },
          message_en: { type: 'string' },
        },
      },
    },
  },
};

/** zod → JSON Schema, with named schemas (`.meta({id})`) lifted into `components.schemas`. */
function toSchema(schema: z.ZodType, io: 'input' | 'output', components: JsonObject): Json {
  const generated = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  const { $schema: _schema, $defs, ...root } = generated;
  if ($defs && typeof $defs === 'object' && !Array.isArray($defs))
    for (const [name, def] of Object.entries($defs)) components[name] ??= relink(def);
  return relink(root);
}

function relink(value: Json): Json {
  if (Array.isArray(value)) return value.map(relink);
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value))
    out[key] =
      key === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', '#/components/schemas/') : relink(v);
  return out;
}

function parameters(schema: z.ZodObject, where: 'path' | 'query', components: JsonObject): Json[] {
  const json = toSchema(schema, 'input', components) as JsonObject;
  const properties = (json.properties ?? {}) as JsonObject;
  const required = new Set(Array.isArray(json.required) ? json.required : []);
  return Object.entries(properties).map(([name, property]) => {
    const description = (property as JsonObject).description;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      schema: property,
      ...(typeof description === 'string' ? { description } : {}),
    };
  });
}

const CACHE_HEADERS: JsonObject = {
  ETag: { schema: { type: 'string' } },
  'Cache-Control': { schema: { type: 'string' } },
};

function operation(op: ApiOperation, components: JsonObject): JsonObject {
  const content: JsonObject = {};
  if (op.response) content['application/json'] = { schema: toSchema(op.response, 'output', components) };
  for (const type of Object.keys(op.alternatives ?? {}))
    content[type] = { schema: { type: 'string', format: 'binary' } };
  const alternatives = Object.entries(op.alternatives ?? {}).map(([type, text]) => `${type}: ${text}`);
  const responses: JsonObject = {
    [String(op.status ?? 200)]: {
      description: ['OK', ...alternatives].join(' '),
      ...(Object.keys(content).length > 0 ? { content } : {}),
      ...(op.cacheable ? { headers: CACHE_HEADERS } : {}),
    },
  };
  if (op.cacheable) responses['304'] = { description: 'Not modified (If-None-Match matched the ETag).' };
  for (const [status, description] of Object.entries(op.errors))
    responses[status] = {
      description,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
    };
  const params = [
    ...(op.params ? parameters(op.params, 'path', components) : []),
    ...(op.query ? parameters(op.query, 'query', components) : []),
  ];
  return {
    operationId: op.operationId,
    tags: op.tags,
    summary: op.summary,
    description: op.description,
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: toSchema(op.body, 'input', components) } },
          },
        }
      : {}),
    responses,
    ...(op.public ? { security: [] } : {}),
  };
}

/** One document from every module's operations (and any extra named schemas). */
export function openApiDocument(
  info: OpenApiInfo,
  operations: readonly ApiOperation[],
  schemas: Record<string, z.ZodType> = {},
): JsonObject {
  const components: JsonObject = {};
  const paths: Record<string, JsonObject> = {};
  for (const op of operations) {
    const path = paths[op.path] ?? {};
    paths[op.path] = path;
    if (path[op.method]) throw new Error(`duplicate operation ${op.method.toUpperCase()} ${op.path}`);
    path[op.method] = operation(op, components);
  }
  for (const [name, schema] of Object.entries(schemas))
    components[name] ??= toSchema(schema, 'output', components);
  components.ProblemDetails ??= PROBLEM_DETAILS;
  return {
    openapi: '3.1.0',
    info: { ...info },
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        cognito: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'Cognito ID token (carries cognito:groups and custom:region) / token ID Cognito (memuat grup dan wilayah).',
        },
      },
    },
    security: [{ cognito: [] }],
  };
}
