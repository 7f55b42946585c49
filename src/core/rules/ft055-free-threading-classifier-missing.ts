import { defineRule } from '../engine/define-rule.js';
import { classifierLists } from '../build-files/classifier-lists.js';
import type { BuildFileKind } from '../languages.js';

const freeThreading = 'Programming Language :: Python :: Free Threading';

export default defineRule({
  meta: {
    id: 'FT055',
    name: 'free-threading-classifier-missing',
    title: 'Classifier list of an extension project without a Free Threading classifier',
    category: 'build',
    why: 'Users and tools pick packages for free-threaded Python by the `Free Threading` trove classifier; without it a ported extension looks unported.',
    targets: ['pyproject', 'setup-py', 'setup-cfg'],
    severity: 'info',
    confidence: 'medium',
    fix: 'never',
    preview: false,
    triggers: ['classifiers'],
    messages: {
      missing: 'The classifiers name Python versions but no `{{classifier}}` level, so nobody can tell whether the extension supports free-threaded Python',
    },
    help: {
      missing: 'Once every module declares support and `3.14t` wheels are built, add `{{classifier}} :: 2 - Beta` (or the level that fits) and the newest `Programming Language :: Python :: 3.x`',
    },
  },
  prefilter: (text) => (/classifiers/i.test(text) ? [0] : []),
  check(ctx) {
    if (!ctx.project.hasExtensionSources) return;
    const kind = ctx.path.endsWith('.toml') ? 'pyproject' : ctx.path.endsWith('.cfg') ? 'setup-cfg' : 'setup-py';
    const lists = classifierLists(kind satisfies BuildFileKind, ctx.text);
    // One finding per file, at its first list; a file that names the classifier anywhere says it.
    const first = lists[0];
    if (first === undefined || lists.some((l) => l.entries.some((e) => e.startsWith(freeThreading)))) return;
    ctx.report({ start: first.start, end: first.end, symbol: '<build>', messageId: 'missing', data: { classifier: freeThreading } });
  },
});
