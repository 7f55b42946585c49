import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/cli/main.js';
import { createFakeIo } from '../helpers/fake-io.js';

const example = new URL('../../examples/spamext', import.meta.url).pathname;

describe('ftbot review', () => {
  it('prints the triage comment the app would post', async () => {
    const fake = createFakeIo();
    const code = await execute(['review', example, '--sha', 'a'.repeat(40), '--repo', 'o/r'], fake.io);
    expect(code).toBe(1);
    const out = fake.stdout();
    expect(out.startsWith('<!-- ftbot:triage v1 -->\n## ftbot: free-threading triage')).toBe(true);
    expect(out).toContain(`| \`legacy\` | C, single-phase init | [\`src/spam/legacy.c:8\`](https://github.com/o/r/blob/${'a'.repeat(40)}/src/spam/legacy.c#L8) |`);
    expect(out).toContain('- [ ] Declare free-threading support in every module (0 of 5 do)');
  });

  it('exits 0 with --exit-zero and prints the same comment', async () => {
    const plain = createFakeIo();
    const zero = createFakeIo();
    expect(await execute(['review', example, '--sha', 'a'.repeat(40)], plain.io)).toBe(1);
    expect(await execute(['review', example, '--sha', 'a'.repeat(40), '--exit-zero'], zero.io)).toBe(0);
    expect(zero.stdout()).toBe(plain.stdout());
  });

  it('restricts inline comments to a diff and prints them as JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftbot-review-'));
    const diff = join(dir, 'change.diff');
    // Lines 16–20 of spammodule.c: the `PyDict_GetItem` call on line 18 is inside, most findings are not.
    writeFileSync(diff, '--- a/src/spam/spammodule.c\n+++ b/src/spam/spammodule.c\n@@ -16,4 +16,5 @@\n x\n x\n+x\n x\n x\n');
    const fake = createFakeIo();
    const code = await execute(['review', example, '--diff', diff, '--format', 'json', '--sha', 'b'.repeat(40)], fake.io);
    expect(code).toBe(1);
    const out = JSON.parse(fake.stdout()) as { kind: string; review: { comments: Array<{ path: string; line: number }> }; summary: { body: string } };
    expect(out.kind).toBe('review');
    expect(out.review.comments.map((c) => `${c.path}:${c.line}`)).toContain('src/spam/spammodule.c:18');
    for (const c of out.review.comments) expect(c.line >= 16 && c.line <= 20).toBe(true);
    expect(out.summary.body).toMatch(/<details><summary>Outside the diff \(\d+\)<\/summary>/);
  });

  it('explains the top examples with the templates, offline, even with a key set', async () => {
    const fake = createFakeIo({ env: { OPENAI_API_KEY: 'test-key' } });
    const code = await execute(['review', example, '--sha', 'a'.repeat(40)], fake.io);
    expect(code).toBe(1);
    const out = fake.stdout();
    const fixes = out.slice(out.indexOf('### How to fix the top examples'), out.indexOf('### Build and CI'));
    // Without `--docs-url` there is no docs site: the rule id is plain, the source links upstream.
    // FT004's finding stands for FT001's on the increfed lookup; the fix is the same.
    expect(fixes).toContain('- [`src/spam/spammodule.c:18`](src/spam/spammodule.c#L18) FT004: Replace `PyDict_GetItem` with `PyDict_GetItemRef`');
    expect(fixes).toContain('Source: [Why Py_NewRef(PyList_GetItem(...)) is not a fix](https://py-free-threading.github.io/porting-extensions/)');
    expect(fixes).toContain('`ftbot suggest <path>:<line>`.');
  });

  it('puts drafted suggestions on inline comments; --no-llm keeps the model out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftbot-review-'));
    const diff = join(dir, 'change.diff');
    writeFileSync(diff, '--- a/src/spam/spammodule.c\n+++ b/src/spam/spammodule.c\n@@ -16,7 +16,8 @@\n x\n x\n+x\n x\n x\n x\n x\n x\n');
    // A call to the model would take this interceptor and print the quota notice.
    const openai = nock('https://api.openai.com')
      .post('/v1/chat/completions')
      .reply(429, { error: { message: 'quota', type: 'insufficient_quota', code: 'insufficient_quota' } });
    const fake = createFakeIo({ env: { OPENAI_API_KEY: 'test-key' } });
    const code = await execute(['review', example, '--diff', diff, '--format', 'json', '--sha', 'b'.repeat(40), '--repo', 'o/r', '--no-llm'], fake.io);
    expect(code).toBe(1);
    expect(openai.pendingMocks()).toHaveLength(1);
    const out = JSON.parse(fake.stdout()) as { review: { comments: Array<{ path: string; line: number; start_line?: number; body: string }> } };
    const lookup = out.review.comments.find((c) => c.start_line === 18);
    expect(lookup?.line).toBe(22);
    expect(lookup?.body).toContain('```suggestion\n    PyObject *value;\n    if (PyDict_GetItemRef(registry, key, &value) < 0) {');
    expect(lookup?.body).toContain('<!-- ftbot:draft deterministic -->');
    expect(fake.stderr()).toBe('');

    // Without --no-llm the key is used: the model is asked once, and the quota notice is printed.
    const withModel = createFakeIo({ env: { OPENAI_API_KEY: 'test-key' } });
    await execute(['review', example, '--diff', diff, '--format', 'json', '--sha', 'b'.repeat(40), '--repo', 'o/r'], withModel.io);
    expect(openai.pendingMocks()).toEqual([]);
    expect(withModel.stderr()).toBe('ftbot review: The LLM provider reported an exhausted quota; drafts use ftbot templates for now\n');
  });

  it('rejects an unknown format', async () => {
    const fake = createFakeIo();
    expect(await execute(['review', example, '--format', 'sarif'], fake.io)).toBe(2);
    expect(fake.stderr()).toContain("unknown format 'sarif'");
  });
});
