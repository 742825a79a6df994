/** The parts of an OpenAPI 3 document the fuzzer reads: every operation, its parameters and body schema. */
export interface JsonSchema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  format?: string;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI template, e.g. /api/v1/conversations/{id}. */
  path: string;
  pathParams: string[];
  query: { name: string; schema: JsonSchema }[];
  headers: string[];
  body?: { mediaType: 'application/json' | 'multipart/form-data'; schema: JsonSchema };
  /** Produces only text/event-stream (read headers, then hang up). */
  streams: boolean;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

interface RawOperation {
  parameters?: { name: string; in: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const resolve = (schema: JsonSchema | undefined, seen = 0): JsonSchema => {
    if (!schema) return {};
    if (schema.$ref && seen < 10) return resolve(doc.components?.schemas?.[schema.$ref.split('/').pop()!], seen + 1);
    const properties = schema.properties && Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, seen + 1)]));
    return { ...schema, properties, items: schema.items && resolve(schema.items, seen + 1) };
  };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const raw = item[method];
      if (!raw) continue;
      const params = raw.parameters ?? [];
      const content = raw.requestBody?.content ?? {};
      const mediaType = content['multipart/form-data'] ? 'multipart/form-data' : 'application/json';
      const produced = Object.values(raw.responses ?? {}).flatMap((r) => Object.keys(r.content ?? {}));
      operations.push({
        method,
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: resolve(p.schema) })),
        headers: params.filter((p) => p.in === 'header').map((p) => p.name),
        body: method === 'get' || method === 'delete' ? undefined : { mediaType, schema: resolve(content[mediaType]?.schema) },
        streams: /\/events$/.test(path) || (produced.length > 0 && produced.every((t) => t === 'text/event-stream')),
      });
    }
  }
  return operations;
}
