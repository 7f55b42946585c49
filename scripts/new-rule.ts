/**
 * Scaffolds a rule: the rule file, its docs page with the fixed sections, and a fixture folder,
 * then regenerates the registry and rule tables. Nothing else is edited by hand.
 *
 *   npm run new-rule -- <kebab-name> --category <category> --trigger <C API name> [--id FTnnn]
 *
 * The new rule starts as a preview rule that reports every call of its trigger; replace the
 * detector, the texts and the examples with the real ones (CONTRIBUTING.md, "Adding a rule").
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ruleCategories, type RuleCategory } from '../src/core/engine/define-rule.js';
import { generateRules } from './generate-rules.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export type NewRuleOptions = { name: string; category: RuleCategory; trigger: string; id?: string };

/** The next free id: one past the highest in `src/core/rules/`. */
export function nextRuleId(fileNames: readonly string[]): string {
  const numbers = fileNames.flatMap((f) => /^ft(\d{3})-/.exec(f)?.[1] ?? []).map(Number);
  return `FT${String(Math.max(0, ...numbers) + 1).padStart(3, '0')}`;
}

function ruleSource(id: string, o: NewRuleOptions): string {
  return `import { defineRule } from '../engine/define-rule.js';
import { callOf } from '../parsing/syntax.js';

export default defineRule({
  meta: {
    id: '${id}',
    name: '${o.name}',
    title: 'Call of \`${o.trigger}\` that is not safe without the GIL',
    category: '${o.category}',
    why: 'TODO: one sentence saying what goes wrong when two threads run this code at once.',
    targets: ['c', 'cpp'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    // A new rule runs only when selected by id, or with \`--select ALL\` / \`--preview\`.
    preview: true,
    triggers: ['${o.trigger}'],
    messages: {
      found: '\`{{api}}\` is not safe without the GIL',
    },
    help: {
      found: 'Replace \`{{api}}\` with its thread-safe counterpart',
    },
  },
  check(ctx) {
    for (const hit of ctx.hits) {
      // Only calls count: a mention in a declaration or a function pointer is not a use.
      if (hit.node === undefined || callOf(hit.node) === undefined) continue;
      ctx.report({ node: hit.node, messageId: 'found', data: { api: hit.name } });
    }
  },
});
`;
}

function docsPage(id: string, o: NewRuleOptions): string {
  const example = (call: string): string => `#include <Python.h>

static PyObject *
example(PyObject *self, PyObject *arg)
{
    return ${call};
}`;
  return `---
id: ${id}
title: Call of \`${o.trigger}\` that is not safe without the GIL
---

# ${id} ${o.name}

TODO: one paragraph: what the rule flags and why.

## What it does

Reports every call of \`${o.trigger}\`.

## Why it matters without the GIL

TODO: a concrete interleaving of two threads, step by step, and what the GIL used to prevent.

## Example

\`\`\`c incorrect
${example(`${o.trigger}(arg)`)}
\`\`\`

\`\`\`c correct
${example('Py_NewRef(arg)')}
\`\`\`

## Use instead

TODO: the replacement, and the Python version it needs.

## References

- [C API Extension Support for Free Threading](https://docs.python.org/3/howto/free-threading-extensions.html)
`;
}

function fixture(id: string, o: NewRuleOptions): string {
  return `/* ${id}: calls of \`${o.trigger}\`, and code that must stay clean. */
#include <Python.h>

static PyObject *
flagged(PyObject *self, PyObject *arg)
{
    return ${o.trigger}(arg);   // expect: ${id}:12
}

static PyObject *
clean(PyObject *self, PyObject *arg)
{
    return Py_NewRef(arg);   // ok: ${id}
}
`;
}

/**
 * Writes the rule file, docs page and fixture folder under `root` and regenerates the rule
 * artefacts. Returns the files written by the scaffold itself (not the regenerated ones).
 */
export async function newRule(options: NewRuleOptions, root: string = ROOT): Promise<string[]> {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(options.name)) throw new Error(`new-rule: the name '${options.name}' is not kebab-case with at least two words`);
  if (!ruleCategories.includes(options.category)) throw new Error(`new-rule: unknown category '${options.category}' (expected ${ruleCategories.join(', ')})`);
  if (!/^[A-Za-z_]\w*$/.test(options.trigger)) throw new Error(`new-rule: the trigger '${options.trigger}' is not a C identifier`);
  const id = options.id ?? nextRuleId(await readdir(`${root}/src/core/rules`));
  if (!/^FT\d{3}$/.test(id)) throw new Error(`new-rule: the id '${id}' is not of the form FTnnn`);
  const base = `${id.toLowerCase()}-${options.name}`;
  const files: Array<[string, string]> = [
    [`src/core/rules/${base}.ts`, ruleSource(id, options)],
    [`docs/rules/${base}.md`, docsPage(id, options)],
    [`test/fixtures/rules/${base}/calls.c`, fixture(id, options)],
  ];
  for (const [path] of files) if (existsSync(`${root}/${path}`)) throw new Error(`new-rule: ${path} already exists`);
  const taken = (await readdir(`${root}/src/core/rules`)).find((f) => f.startsWith(`${id.toLowerCase()}-`) || f.endsWith(`-${options.name}.ts`));
  if (taken !== undefined) throw new Error(`new-rule: the id or name is taken by src/core/rules/${taken}`);
  await mkdir(`${root}/test/fixtures/rules/${base}`, { recursive: true });
  for (const [path, text] of files) await writeFile(`${root}/${path}`, text);
  await generateRules(root);
  return files.map(([path]) => path);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { category: { type: 'string' }, trigger: { type: 'string' }, id: { type: 'string' } },
  });
  const [name] = positionals;
  if (name === undefined || values.category === undefined || values.trigger === undefined) {
    console.error(`usage: npm run new-rule -- <kebab-name> --category <${ruleCategories.join('|')}> --trigger <C API name> [--id FTnnn]`);
    process.exitCode = 2;
  } else {
    try {
      const written = await newRule({ name, category: values.category as RuleCategory, trigger: values.trigger, ...(values.id === undefined ? {} : { id: values.id }) });
      console.log(`wrote ${written.join(', ')}; regenerated the registry and rule tables.\nNext: write the detector, the docs page and the fixtures, then \`npx vitest run test/rules test/meta\`.`);
    } catch (error) {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 2;
    }
  }
}
