import { iniValue } from '../build-files/ini-value.js';
import { defineRule } from '../engine/define-rule.js';

/** `envlist =` / `env_list =` at the start of a line of the `[tox]` section. */
const envListKey = /^(envlist|env_list)[ \t]*=/;

/** Lines read after the key: an env list is a few dozen lines at most. */
const maxLines = 200;

/**
 * The CPython versions an env list names, with a `t` for free-threaded ones: `py313`, `py313t`,
 * `py39-full`, and the brace form `py3{12,13,13t}`. `py3`, `pypy3` and `py` name no version.
 */
function versionsOf(value: string): string[] {
  const versions: string[] = [];
  for (const m of value.matchAll(/(?<![\w.])py3(\d{1,2}t?)(?![\w.])/g)) versions.push(`3.${m[1] ?? ''}`);
  for (const m of value.matchAll(/(?<![\w.])py3\{([\dt, ]{1,200})\}/g)) {
    for (const part of (m[1] ?? '').split(',')) if (/^\s*\d{1,2}t?\s*$/.test(part)) versions.push(`3.${part.trim()}`);
  }
  return versions;
}

export default defineRule({
  meta: {
    id: 'FT039',
    name: 'tox-envlist-no-free-threaded',
    title: 'tox env list without a free-threaded Python',
    category: 'build',
    why: 'Races in the extension show only on a free-threaded interpreter; a tox env list of GIL builds stays green while they ship.',
    targets: ['tox'],
    severity: 'info',
    confidence: 'medium',
    fix: 'never',
    preview: false,
    triggers: [],
    messages: {
      missing: 'The tox env list runs Python {{versions}} but no free-threaded build, so races in the extension go untested',
      factor: 'This setting is conditioned on `{{factors}}`, so the free-threaded environment a port adds to the env list runs without it',
    },
    help: {
      missing: 'Add a `py{{newest}}t` environment (tox 4.26 or later runs it on the free-threaded interpreter) and run its tests with `PYTHON_GIL=0`',
      factor: 'Add the free-threaded environment (`py313t`, say) to the factors of this line when you add it: `py313` does not match `py313t`',
    },
  },
  prefilter: (text) => (/\benv_?list\b/.test(text) ? [0] : []),
  check(ctx) {
    // One free-threaded job anywhere in the project's CI already tests the build.
    if (!ctx.project.hasExtensionSources || ctx.project.ciTestsFreeThreaded) return;
    // A benchmark harness's tox file (`benchmarking/tox.ini`) runs no tests.
    if (/(^|\/)bench[\w-]*\//i.test(ctx.path)) return;
    // The value: the rest of the line and the indented (or blank, or comment) lines after it.
    const entry = iniValue(ctx.text, { section: 'tox', key: envListKey, maxLines, commentsContinue: true });
    if (entry === undefined) return;
    const value = [entry.first, ...entry.more].join('\n');
    const versions = [...new Set(versionsOf(value))];
    if (versions.length < 2 || versions.some((v) => v.endsWith('t'))) return;
    const newest = versions.map((v) => Number(v.slice(2))).reduce((a, b) => Math.max(a, b));
    ctx.report({
      start: entry.start,
      end: entry.end,
      symbol: '<tox>',
      messageId: 'missing',
      data: { versions: versions.slice(0, 6).join(', '), newest: `3${newest}` },
    });
    // Settings conditioned on the version factors (`{py312,py313}: EXT=1`): a factor names one
    // environment exactly, so the `t` environment the port adds does not get them.
    let reported = 0;
    for (const m of ctx.text.matchAll(/^([ \t]*)([\w{}, !.-]{1,300}):[ \t]*\S[^\n]*/gm)) {
      const factors = m[2] ?? '';
      const named = versionsOf(factors);
      if (!named.includes(`3.${newest}`) || named.some((v) => v.endsWith('t')) || reported >= 10) continue;
      const start = m.index + (m[1] ?? '').length;
      ctx.report({ start, end: m.index + m[0].length, symbol: '<tox>', messageId: 'factor', data: { factors: factors.trim() } });
      reported++;
    }
  },
});
