import { defineRule } from '../engine/define-rule.js';
import { afterHashOnLine } from '../parsing/source-text.js';

const classifier = /["']Programming Language :: Python :: Free Threading[^"']*["']/;

export default defineRule({
  // A project rule: which modules re-enable the GIL is published by the module-declaration rules.
  inputs: ['undeclaredModules'],
  meta: {
    id: 'FT034',
    name: 'classifier-contradiction',
    title: 'Free-threading classifier contradicted by the code',
    category: 'build',
    why: 'Users choose the package for free-threaded Python by its classifier, but importing a module that does not declare support turns the GIL back on.',
    targets: ['pyproject'],
    severity: 'warning',
    confidence: 'high',
    fix: 'never',
    preview: false,
    triggers: ['Free Threading'],
    messages: {
      contradicted: 'The project claims `{{claim}}`, but {{count}} module(s) re-enable the GIL on import ({{paths}})',
    },
    help: {
      contradicted: 'Declare free-threading support in every module (see the FT008–FT013 findings) or drop the classifier',
    },
  },
  check(ctx) {
    // The parsed `[project] classifiers` decide (a commented-out line is not a claim); the text
    // only gives the location.
    if (!ctx.project.classifiers.some((c) => c.startsWith('Programming Language :: Python :: Free Threading'))) return;
    const match = [...ctx.text.matchAll(new RegExp(classifier.source, 'g'))].find((m) => !afterHashOnLine(ctx.text, m.index));
    if (match === undefined || ctx.facts.undeclaredModules.length === 0) return;
    // Only modules of this project: below the directory of this pyproject.toml (a scan may cover
    // several projects at once).
    const root = ctx.path.includes('/') ? ctx.path.slice(0, ctx.path.lastIndexOf('/') + 1) : '';
    const paths = [...new Set(ctx.facts.undeclaredModules.map((m) => m.path))].filter((p) => p.startsWith(root));
    if (paths.length === 0) return;
    ctx.report({
      start: match.index,
      end: match.index + match[0].length,
      messageId: 'contradicted',
      symbol: '<build>',
      data: {
        claim: match[0].slice(1, -1).replace('Programming Language :: Python :: ', ''),
        count: String(paths.length),
        paths: paths.slice(0, 3).join(', ') + (paths.length > 3 ? ', …' : ''),
      },
    });
  },
});
