import { defineRule } from '../engine/define-rule.js';
import ft008 from './ft008-module-gil-slot-missing.js';
import ft009 from './ft009-single-phase-gil-undeclared.js';
import ft010 from './ft010-cython-freethreading-undeclared.js';
import ft011 from './ft011-pyo3-gil-used.js';
import ft012 from './ft012-pybind11-gil-undeclared.js';
import ft013 from './ft013-nanobind-free-threaded-missing.js';

const classifier = /["']Programming Language :: Python :: Free Threading[^"']*["']/;

export default defineRule({
  // Which modules re-enable the GIL comes from the module-declaration rules.
  requires: [ft008, ft009, ft010, ft011, ft012, ft013],
  meta: {
    id: 'FT034',
    name: 'classifier-contradiction',
    title: 'Free-threading classifier contradicted by the code',
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
    const match = [...ctx.text.matchAll(new RegExp(classifier.source, 'g'))].find((m) => !ctx.text.slice(ctx.text.lastIndexOf('\n', m.index) + 1, m.index).includes('#'));
    if (match === undefined || ctx.project.undeclaredModules.length === 0) return;
    // Only modules of this project: below the directory of this pyproject.toml (a scan may cover
    // several projects at once).
    const root = ctx.path.includes('/') ? ctx.path.slice(0, ctx.path.lastIndexOf('/') + 1) : '';
    const paths = [...new Set(ctx.project.undeclaredModules)].filter((p) => p.startsWith(root));
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
