/**
 * Extracts the GitHub REST operations ftbot calls from `@octokit/openapi`'s
 * `generated/api.github.com.json` into `test/fixtures/github-openapi.json`, a small file the
 * contract test validates every mocked request against.
 *
 * The package is 400 MB unpacked, so it is not a dependency. To refresh:
 *   cd /tmp && npm pack @octokit/openapi@23.0.2 && tar -xzf octokit-openapi-23.0.2.tgz package/generated/api.github.com.json
 *   node --import tsx scripts/extract-openapi.ts /tmp/package/generated/api.github.com.json
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** Every operation the app and its Probot plumbing send, as `METHOD template`. */
export const OPERATIONS = [
  'POST /app/installations/{installation_id}/access_tokens',
  'GET /app',
  'GET /repos/{owner}/{repo}',
  'GET /repos/{owner}/{repo}/contents/{path}',
  'GET /repos/{owner}/{repo}/branches/{branch}',
  'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
  'GET /repos/{owner}/{repo}/git/trees/{tree_sha}',
  'GET /repos/{owner}/{repo}/git/blobs/{file_sha}',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments',
  'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
  'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
  'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
  'POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies',
  'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
  'POST /repos/{owner}/{repo}/check-runs',
  'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}',
];

type Json = Record<string, unknown>;

function main(argv: string[]): void {
  const [input, output = 'test/fixtures/github-openapi.json'] = argv;
  if (input === undefined) throw new Error('usage: extract-openapi.ts <api.github.com.json> [output]');
  const spec = JSON.parse(readFileSync(input, 'utf8')) as { info: { version: string }; paths: Record<string, Record<string, Json>>; components: Record<string, Record<string, unknown>> };
  const resolve = (node: unknown): Json => {
    const ref = (node as { $ref?: string }).$ref;
    if (ref === undefined) return node as Json;
    const [, , section, name] = ref.split('/');
    return spec.components[section as string]?.[name as string] as Json;
  };
  const schemas = new Map<string, unknown>();
  // Copies the component schemas a body schema refers to, transitively.
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(collect);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
        const name = value.slice('#/components/schemas/'.length);
        if (!schemas.has(name)) {
          schemas.set(name, spec.components.schemas?.[name]);
          collect(spec.components.schemas?.[name]);
        }
      } else collect(value);
    }
  };
  const operations = OPERATIONS.map((entry) => {
    const [method, path] = entry.split(' ') as [string, string];
    const op = spec.paths[path]?.[method.toLowerCase()];
    if (op === undefined) throw new Error(`no operation ${entry} in the spec`);
    const pathParams: Record<string, unknown> = {};
    for (const p of (op.parameters as unknown[] | undefined) ?? []) {
      const param = resolve(p);
      if (param.in === 'path') pathParams[param.name as string] = param.schema;
    }
    const requestBody = op.requestBody === undefined ? undefined : resolve(op.requestBody);
    const body = (requestBody?.content as Record<string, { schema?: unknown }> | undefined)?.['application/json']?.schema;
    collect(body);
    return { method, path, operationId: op.operationId, pathParams, ...(body === undefined ? {} : { body, bodyRequired: requestBody?.required === true }) };
  });
  const out = { source: `@octokit/openapi generated/api.github.com.json (${spec.info.version})`, operations, components: { schemas: Object.fromEntries([...schemas].sort()) } };
  writeFileSync(output, `${JSON.stringify(out, null, 1)}\n`);
  console.log(`${operations.length} operations, ${schemas.size} schemas → ${output}`);
}

main(process.argv.slice(2));
