import type { Hono } from 'hono';
import { generateSpecs, resolver } from 'hono-openapi';
import type { OpenAPIV3_1 } from 'openapi-types';
import { type Operation, operations } from './operations.ts';
import { errorSchema } from './schemas.ts';

type Doc = OpenAPIV3_1.Document;
type Method = 'get' | 'post' | 'patch' | 'delete' | 'put';
// biome-ignore lint/suspicious/noExplicitAny: any Hono app, whatever its Env
type AnyHono = Hono<any, any, any>;

/** `METHOD /path` of every route the app answers (middleware and catch-alls left out). */
export function routeKeys(app: AnyHono): string[] {
  const keys = app.routes
    .filter((r) => r.method !== 'ALL' && !r.path.includes('*'))
    .map((r) => `${r.method} ${r.path.replace(/\/$/, '') || '/'}`);
  return [...new Set(keys)];
}

const ERRORS: Record<string, string> = {
  '400': 'Invalid request: `validation_failed` names the first bad field',
  '401': 'Not signed in, or the token or API key is not valid',
  '403': 'Your role, or your API key’s scope, does not allow this',
  '404': 'Not found, or not yours',
  '413': 'Too large',
  '429': 'Rate limited; see Retry-After',
  '503': 'A dependency is down',
};

const DESCRIPTION = `The public HTTP API of Context OS: knowledge bases, documents (with metadata), three-layer search,
chat with citations, notes, accounts; an OpenAI-compatible \`/v1\`, an MCP server at \`/mcp\` and Dify's External
Knowledge API at \`/api/dify/retrieval\`. Authenticate with \`Authorization: Bearer <API key or session token>\`
(or the session cookie from a browser). Errors are \`{"error":{"code","message","requestId"}}\`; another user's
resource is a 404. Request schemas are the ones that validate requests.`;

async function toSchema(schema: Parameters<typeof resolver>[0], components: OpenAPIV3_1.ComponentsObject) {
  const converted = await resolver(schema).toOpenAPISchema();
  components.schemas = { ...components.schemas, ...converted.components?.schemas };
  return converted.schema;
}

async function responses(op: Operation, components: OpenAPIV3_1.ComponentsObject) {
  const out: OpenAPIV3_1.ResponsesObject = {};
  const content = op.schema
    ? { 'application/json': { schema: await toSchema(op.schema, components) } }
    : op.media
      ? { [op.media]: { schema: { type: 'string' as const } } }
      : undefined;
  out[String(op.status)] = { description: op.summary, ...(content && { content }) };
  if (!op.ownErrors) {
    for (const [status, description] of Object.entries(ERRORS)) {
      if (op.public && (status === '401' || status === '403')) continue;
      out[status] = {
        description,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
  }
  return out;
}

/** `getApiKbsByKbIdDocuments` for `GET /api/kbs/:kbId/documents`, as hono-openapi names the others. */
const operationId = (method: string, path: string) =>
  method +
  path
    .split(/[/.-]/)
    .filter(Boolean)
    .map((part) => (part.startsWith(':') ? `By${cap(part.slice(1))}` : cap(part)))
    .join('');
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const pathParameters = (path: string): OpenAPIV3_1.ParameterObject[] =>
  [...path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));

/**
 * The OpenAPI 3.1 document of the gateway: request bodies and queries from the zod schemas
 * that validate them (hono-openapi reads them off the validators), answers from `operations`.
 */
export async function openApiDocument(app: AnyHono, version: string) {
  const spec = (await generateSpecs(app, {
    documentation: { info: { title: 'Context OS', version, description: DESCRIPTION } },
    defaultValidationErrorResponse: false,
  })) as Doc;
  const components: OpenAPIV3_1.ComponentsObject = {
    schemas: { Error: await toSchema(errorSchema, {}) },
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'An API key (`cos_…`) or a session token' },
      cookie: { type: 'apiKey', in: 'cookie', name: 'cos_session', description: 'The console’s session' },
    },
  };
  Object.assign(components.schemas ?? {}, spec.components?.schemas);
  // Built as plain JSON: openapi-types' 3.1 operation type is an intersection with 3.0's that
  // no 3.1 response object satisfies.
  const paths: Record<string, Record<string, unknown>> = {};
  for (const key of routeKeys(app).sort()) {
    const [method, path] = key.split(' ') as [string, string];
    const m = method.toLowerCase() as Method;
    const oaPath = path.replace(/:(\w+)/g, '{$1}');
    const generated: Partial<OpenAPIV3_1.OperationObject> = spec.paths?.[oaPath]?.[m] ?? {};
    const op: Operation = operations[key] ?? { tag: 'Other', summary: key, status: 200 };
    const params = (generated.parameters ?? []) as OpenAPIV3_1.ParameterObject[];
    const named = new Set(params.map((p) => `${p.in}:${p.name}`));
    paths[oaPath] = paths[oaPath] ?? {};
    paths[oaPath][m] = {
      ...generated,
      operationId: generated.operationId ?? operationId(m, path),
      tags: [op.tag],
      summary: op.summary,
      parameters: [...pathParameters(path).filter((p) => !named.has(`path:${p.name}`)), ...params],
      ...(!generated.requestBody &&
        op.request && {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: await toSchema(op.request, components) } },
          },
        }),
      responses: await responses(op, components),
      ...(op.public && { security: [] }),
    };
  }
  const doc = {
    openapi: '3.1.0',
    info: spec.info,
    servers: [{ url: '/', description: 'This gateway' }],
    security: [{ bearer: [] as string[] }, { cookie: [] as string[] }],
    tags: [...new Set(Object.values(operations).map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components,
  };
  return doc;
}
