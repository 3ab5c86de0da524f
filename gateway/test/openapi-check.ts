// Checks real responses against /openapi.json: the route, method and status must be
// documented, and a JSON body must match its schema (the JSON Schema subset the
// document uses: type, enum, required, properties, additionalProperties, items, $ref,
// oneOf, minimum, minLength, maxLength).

type Schema = Record<string, unknown>;
// deno-lint-ignore no-explicit-any
type Doc = any;

function resolveRef(doc: Doc, schema: Schema): Schema {
  let s = schema;
  while (typeof s.$ref === 'string') {
    s = (s.$ref as string).slice(2).split('/').reduce((node: Doc, key: string) => node[key], doc);
  }
  return s;
}

export function validate(doc: Doc, schemaIn: Schema, value: unknown, at = '$'): string[] {
  const schema = resolveRef(doc, schemaIn);
  const errors: string[] = [];
  if (Array.isArray(schema.oneOf)) {
    const matching = (schema.oneOf as Schema[]).filter((s) => validate(doc, s, value, at).length === 0);
    if (matching.length !== 1) errors.push(`${at}: matches ${matching.length} of oneOf, not exactly 1`);
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    errors.push(`${at}: ${JSON.stringify(value)} not in enum`);
  }
  const type = schema.type as string | undefined;
  const typeOf = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  if (type === 'integer') {
    if (!Number.isInteger(value)) errors.push(`${at}: expected integer`);
  } else if (type !== undefined && type !== typeOf) {
    errors.push(`${at}: expected ${type}, got ${typeOf}`);
    return errors;
  }
  if (typeof schema.minimum === 'number' && typeof value === 'number' && value < schema.minimum) {
    errors.push(`${at}: below minimum`);
  }
  if (typeOf === 'object' && (type === 'object' || schema.properties)) {
    const obj = value as Record<string, unknown>;
    for (const key of (schema.required as string[] | undefined) ?? []) {
      if (!(key in obj)) errors.push(`${at}.${key}: required`);
    }
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const [key, v] of Object.entries(obj)) {
      if (props[key]) errors.push(...validate(doc, props[key], v, `${at}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${at}.${key}: not allowed`);
    }
  }
  if (typeOf === 'array' && schema.items) {
    (value as unknown[]).forEach((v, i) =>
      errors.push(...validate(doc, schema.items as Schema, v, `${at}[${i}]`))
    );
  }
  return errors;
}

const METHOD_KEYS: Record<string, string> = { MKCOL: 'x-mkcol', MOVE: 'x-move' };

/** The documented response for a request; throws when undocumented or when the JSON body does not match. */
export function checkResponse(
  doc: Doc,
  method: string,
  template: string,
  status: number,
  body?: unknown,
): void {
  const item = doc.paths[template];
  if (!item) throw new Error(`undocumented path ${template}`);
  const op = item[METHOD_KEYS[method] ?? method.toLowerCase()];
  if (!op) throw new Error(`undocumented ${method} ${template}`);
  const response = resolveRef(doc, op.responses[String(status)] ?? {});
  if (!op.responses[String(status)]) {
    throw new Error(`undocumented status ${status} for ${method} ${template}`);
  }
  if (body === undefined) return;
  const schema = (response.content as Doc)?.['application/json']?.schema;
  if (!schema) throw new Error(`no JSON schema for ${status} of ${method} ${template}`);
  const errors = validate(doc, schema, body);
  if (errors.length) throw new Error(`${method} ${template} ${status}: ${errors.join('; ')}`);
}
