import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import type nock from 'nock';

type Operation = { method: string; path: string; pathParams: Record<string, object>; body?: object; bodyRequired?: boolean };
type Contract = { operations: Operation[]; components: { schemas: Record<string, unknown> } };

const contract = JSON.parse(readFileSync(new URL('../fixtures/github-openapi.json', import.meta.url), 'utf8')) as Contract;
// ajv-formats is CJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv) => void }).default ?? addFormatsModule;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'gh', components: contract.components });
const reref = (schema: unknown): object => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"gh#/components/')) as object;

type Route = { op: Operation; pattern: RegExp; names: string[]; params: Record<string, ValidateFunction>; body?: ValidateFunction };
const routes: Route[] = contract.operations
  .map((op) => {
    const names: string[] = [];
    // `{path}` of the contents API spans several segments; every other parameter is one segment.
    const source = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return name === 'path' ? '(.+)' : '([^/]+)';
    });
    const params = Object.fromEntries(Object.entries(op.pathParams).map(([name, schema]) => [name, ajv.compile(reref(schema))]));
    const route: Route = { op, pattern: new RegExp(`^${source}$`), names, params };
    if (op.body !== undefined) route.body = ajv.compile({ ...reref(op.body), additionalProperties: (op.body as { additionalProperties?: unknown }).additionalProperties ?? false });
    return route;
  })
  // Literal segments win over parameters: `/issues/comments/{id}` before `/issues/{n}/comments`.
  .sort((a, b) => a.names.length - b.names.length);

/**
 * Checks one request against the GitHub OpenAPI operations ftbot uses: method, path template,
 * path parameter types and the JSON body. Returns a problem description, or undefined when valid.
 */
export function checkRequest(method: string, pathname: string, body: unknown): string | undefined {
  const path = pathname.replace(/^\/api\/v3/, '');
  for (const route of routes) {
    if (route.op.method !== method.toUpperCase()) continue;
    const match = route.pattern.exec(path);
    if (match === null) continue;
    for (const [i, name] of route.names.entries()) {
      const raw = decodeURIComponent(match[i + 1] ?? '');
      const validate = route.params[name];
      const value = validate !== undefined && (validate.schema as { type?: string }).type === 'integer' && /^\d+$/.test(raw) ? Number(raw) : raw;
      if (validate !== undefined && !validate(value)) return `${method} ${path}: path parameter ${name}: ${ajv.errorsText(validate.errors)}`;
    }
    if (body === undefined || body === '') {
      if (route.op.bodyRequired === true) return `${method} ${path}: body required`;
      return undefined;
    }
    if (route.body !== undefined && !route.body(body)) return `${method} ${path}: ${ajv.errorsText(route.body.errors)}`;
    return undefined;
  }
  return `${method} ${path}: matches no GitHub operation ftbot is known to call`;
}

/**
 * Validates every request `scope` intercepts; problems are collected in the returned array,
 * which a test expects to be empty.
 */
export function watchContract(scope: nock.Scope): string[] {
  const violations: string[] = [];
  scope.on('request', (req: { method: string; path: string }, _interceptor: unknown, body: string) => {
    let parsed: unknown;
    try {
      parsed = body === '' || body === undefined ? undefined : JSON.parse(body);
    } catch {
      parsed = body;
    }
    const problem = checkRequest(req.method, new URL(req.path, 'https://api.github.com').pathname, parsed);
    if (problem !== undefined) violations.push(problem);
  });
  return violations;
}
