import { sharedStateOf } from '../analysis/shared-state/index.js';
import { defineRule } from '../engine/define-rule.js';

/**
 * Reads of shared state that another function Python can run writes without a lock: the reader
 * can see a torn or half-built value. Lower confidence than the write itself (FT014), which is
 * usually the line to fix; one finding per variable per function.
 */
export default defineRule({
  meta: {
    id: 'FT021',
    name: 'shared-state-read',
    title: 'Shared state read while another entry point writes it without a lock',
    category: 'shared-state',
    why: 'A reader racing an unlocked writer can see a half-built value or a pointer the writer is about to release.',
    targets: ['c', 'cpp', 'cython'],
    severity: 'info',
    confidence: 'low',
    fix: 'never',
    preview: true,
    triggers: [],
    messages: {
      racyRead: '`{{path}}` is read in `{{function}}` while `{{writer}}` writes it without a lock',
    },
    help: {
      racyRead: 'Protect the reads and the writes of `{{name}}` with the same lock, or make it atomic',
    },
  },
  // `check` reads the analysis, not the tree: one offset gets it run.
  needsTree: false,
  prefilter: (text, target) => (sharedStateOf(text, target).reads.length > 0 ? [0] : []),
  check(ctx) {
    for (const r of sharedStateOf(ctx.text, ctx.target).reads) {
      ctx.report({
        start: r.at,
        end: r.end,
        messageId: 'racyRead',
        symbol: r.function,
        data: { path: r.path, name: r.variable.name, function: r.function, writer: r.writer },
        related: r.related.map((x) => ({ start: x.at, message: x.message })),
      });
    }
  },
});
