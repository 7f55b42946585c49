import { defineRule } from '../engine/define-rule.js';

// `# cython: freethreading_compatible=True` (possibly among other directives on the line).
const directive = /^#\s*cython\s*:.*\bfreethreading_compatible\s*=\s*True\b/m;
const directiveLine = /^#\s*cython\s*:[^\n]*/;

export default defineRule({
  meta: {
    id: 'FT010',
    name: 'cython-freethreading-undeclared',
    title: 'Cython module without the `freethreading_compatible` directive',
    category: 'module-declaration',
    why: 'Cython modules without the directive make the free-threaded interpreter turn the GIL back on at import.',
    targets: ['cython'],
    severity: 'error',
    confidence: 'high',
    fix: 'safe',
    preview: false,
    triggers: [],
    messages: {
      missing: 'Cython module does not set `freethreading_compatible=True`, so importing it re-enables the GIL',
    },
    help: {
      missing: 'Add `# cython: freethreading_compatible=True` to the header once the module is thread-safe',
    },
  },
  // Every .pyx module is a candidate; only its header comments are read.
  prefilter: () => [0],
  check(ctx) {
    if (!ctx.path.endsWith('.pyx') || ctx.project.cythonDirectiveInBuild) return;
    // A file `include`d into another module takes that module's directives.
    if (ctx.project.cythonIncluded.has(ctx.path.slice(ctx.path.lastIndexOf('/') + 1))) return;
    // Directive comments count only in the header, before any code: read the leading comments.
    const root = ctx.root;
    if (root === undefined) return;
    let headerEnd = 0;
    for (const child of root.children) {
      if (child === null || child.type !== 'comment') {
        headerEnd = child?.startIndex ?? headerEnd;
        break;
      }
      headerEnd = child.endIndex;
    }
    const header = ctx.text.slice(0, headerEnd);
    if (directive.test(header)) return;
    const existing = directiveLine.exec(header);
    const edit =
      existing === null
        ? { start: 0, end: 0, text: '# cython: freethreading_compatible=True\n' }
        : { start: existing.index + existing[0].length, end: existing.index + existing[0].length, text: ', freethreading_compatible=True' };
    ctx.report({ start: 0, end: Math.min(ctx.text.indexOf('\n') >>> 0, ctx.text.length), messageId: 'missing', symbol: '<module>', fix: { edits: [edit] } });
  },
});
