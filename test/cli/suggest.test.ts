import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute } from '../../src/cli/main.js';
import { createFakeIo } from '../helpers/fake-io.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const spamext = join(root, 'examples', 'spamext');
const FIXTURE = 'test/fixtures/drafting/dict-get-item-ref/lookup-then-null-check.c';

async function suggest(cwd: string, env: Record<string, string> = {}, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const fake = createFakeIo({ cwd, env });
  const code = await execute(['suggest', ...args], fake.io);
  return { code, stdout: fake.stdout(), stderr: fake.stderr() };
}

type JsonOutput = {
  findings: Array<{
    ruleId: string;
    path: string;
    line: number;
    message: string;
    drafter: string;
    verified: boolean;
    edit?: { path: string; startLine: number; endLine: number; replacement: string };
    explanation: string;
    citations: Array<Record<string, string>>;
  }>;
};

describe('ftbot suggest (in-process, no key)', () => {
  it('prints a verified template rewrite for a borrowed lookup and exits 1 (findings reported)', async () => {
    const r = await suggest(spamext, {}, 'src/spam/spammodule.c:18');
    expect(r.code).toBe(1);
    // FT004's finding (the value is increfed) stands for FT001's on the same call.
    expect(r.stdout).toContain('src/spam/spammodule.c:18:23: FT004 ');
    expect(r.stdout).toContain('drafted by: deterministic; verified edit');
    expect(r.stdout).toContain('if (PyDict_GetItemRef(registry, key, &value) < 0) {');
    expect(r.stdout).toContain('pythoncapi_compat.h');
    expect(r.stdout).toContain('knowledge/newref-around-borrowed-call.md#');
  });

  it('prints the JSON contract with exactly the documented keys', async () => {
    const r = await suggest(spamext, {}, 'src/spam/spammodule.c:44', '--format', 'json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as JsonOutput;
    expect(Object.keys(out)).toEqual(['findings']);
    const [f] = out.findings;
    expect(Object.keys(f ?? {})).toEqual(['ruleId', 'path', 'line', 'message', 'drafter', 'verified', 'edit', 'explanation', 'citations']);
    expect(f).toMatchObject({ ruleId: 'FT005', path: 'src/spam/spammodule.c', line: 44, drafter: 'deterministic', verified: true });
    expect(Object.keys(f?.edit ?? {})).toEqual(['path', 'startLine', 'endLine', 'replacement']);
    expect(f?.edit?.replacement).toContain('Py_BEGIN_CRITICAL_SECTION(mapping);');
    expect(Object.keys(f?.citations[0] ?? {})).toEqual(['page', 'anchor', 'title', 'excerpt', 'url']);
  });

  it('omits `edit` for findings it can only explain', async () => {
    const r = await suggest(spamext, {}, 'src/spam/spammodule.c:83', '--format', 'json');
    const out = JSON.parse(r.stdout) as JsonOutput;
    expect(out.findings.map((f) => f.ruleId)).toEqual(['FT016', 'FT016']);
    for (const f of out.findings) {
      expect(f.verified).toBe(false);
      expect('edit' in f).toBe(false);
      expect(f.citations.length).toBeGreaterThan(0);
    }
  });

  it('matches findings that span the line (module slots)', async () => {
    const out = JSON.parse((await suggest(spamext, {}, 'src/spam/spammodule.c:147', '--format', 'json')).stdout) as JsonOutput;
    expect(out.findings[0]).toMatchObject({ ruleId: 'FT008', verified: true, edit: { startLine: 147, endLine: 147 } });
  });

  it('exits 0 when the line has no finding, as scan does with nothing to report', async () => {
    const text = await suggest(spamext, {}, 'src/spam/spammodule.c:2');
    expect(text).toMatchObject({ code: 0, stdout: 'src/spam/spammodule.c:2: no finding on this line\n' });
    const json = await suggest(spamext, {}, 'src/spam/spammodule.c:2', '--format', 'json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ findings: [] });
  });

  it('exits 2 on usage errors and unreadable files', async () => {
    expect((await suggest(spamext, {}, 'src/spam/spammodule.c')).code).toBe(2);
    expect((await suggest(spamext, {}, 'nope.c:3')).code).toBe(2);
    expect((await suggest(spamext, {}, 'pyproject.toml:3')).code).toBe(2);
    expect((await suggest(spamext, {}, 'src/spam/spammodule.c:1', '--format', 'sarif')).code).toBe(2);
  });
});

describe('ftbot suggest against an OpenAI-compatible server on 127.0.0.1', () => {
  let server: Server;
  let baseURL = '';
  const requests: Array<{ url: string; body: Record<string, unknown> }> = [];
  let answer: (body: Record<string, unknown>) => { status: number; json: unknown } = () => ({ status: 500, json: {} });

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        requests.push({ url: req.url ?? '', body });
        const { status, json } = req.url === '/v1/chat/completions' ? answer(body) : { status: 404, json: { error: { message: 'not found' } } };
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const completion = (content: string) => ({
    status: 200,
    json: { id: 'c1', object: 'chat.completion', created: 1, model: 'local', choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }] },
  });

  it('drafts with the model, verifies the edit, and prints JSON (drafter "llm")', async () => {
    const replacement = [
      '    PyObject *value;',
      '    if (PyDict_GetItemRef(registry, key, &value) < 0) {',
      '        return NULL;',
      '    }',
      '    if (value == NULL) {',
      '        Py_RETURN_NONE;',
      '    }',
      '    return value;',
    ].join('\n');
    answer = () => completion(JSON.stringify({ explanation: 'Use `PyDict_GetItemRef`; see @org/team and https://evil.example/x', edit: { startLine: 8, endLine: 13, replacement }, citedIds: [] }));
    requests.length = 0;
    const r = await suggest(root, { OPENAI_API_KEY: 'sk-local-test', OPENAI_BASE_URL: baseURL, FTBOT_LLM_MODEL: 'local' }, `${FIXTURE}:8`, '--format', 'json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as JsonOutput;
    expect(out.findings.map((f) => [f.ruleId, f.drafter, f.verified])).toEqual([['FT004', 'llm', true]]);
    expect(out.findings[0]?.edit).toEqual({ path: FIXTURE, startLine: 8, endLine: 13, replacement });
    expect(out.findings[0]?.explanation).toBe('Use `PyDict_GetItemRef`; see @\u200borg/team and evil[.]example/x');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.body).toMatchObject({ model: 'local', response_format: { type: 'json_object' } });
  });

  it('falls back to the templates when the server fails', async () => {
    answer = () => ({ status: 500, json: { error: { message: 'down' } } });
    requests.length = 0;
    const r = await suggest(root, { OPENAI_API_KEY: 'sk-local-test', OPENAI_BASE_URL: baseURL }, `${FIXTURE}:8`, '--format', 'json', '--verbose');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as JsonOutput;
    expect(out.findings.map((f) => [f.drafter, f.verified])).toEqual([['deterministic', true]]);
    expect(requests).toHaveLength(2);
    expect(r.stderr).toContain('using the deterministic drafter');
  });

  it('lets `ftbot ask` answer with the model, citing only retrieved sections', async () => {
    answer = (body) => {
      const user = (body.messages as Array<{ content: string }>)[1]?.content ?? '';
      const id = /### (\S+#\S+)/.exec(user)?.[1] ?? '';
      // Every claim carries the id of the section it rests on; the extra invented id is dropped.
      return completion(JSON.stringify({ answer: `Use \`PyList_GetItemRef\`, which returns a strong reference [${id}].`, citedIds: [id, 'invented#nope'] }));
    };
    const fake = createFakeIo({ cwd: root, env: { OPENAI_API_KEY: 'sk-local-test', OPENAI_BASE_URL: baseURL } });
    const code = await execute(['ask', 'What replaces PyList_GetItem?', '--format', 'json'], fake.io);
    expect(code).toBe(0);
    const out = JSON.parse(fake.stdout()) as { answer: string; citations: Array<{ page: string }> };
    expect(out.answer).toBe('Use `PyList_GetItemRef`, which returns a strong reference [1].');
    expect(out.citations).toHaveLength(1);
  });
});
