import { sharedKindLabel } from '../analysis/shared-state/index.js';
import { defineRule } from '../engine/define-rule.js';
import type { PublishedSharedSummary } from '../engine/scan-facts.js';

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/**
 * Shared state declared in one file and written without a lock in another: a unity build's
 * included parts writing the including file's statics (`#include "cache.c"`), or a global defined
 * here and written through an `extern` declaration elsewhere. FT014 sees the writes of one file
 * only; this project rule joins the per-file summaries FT014 publishes and reports at the
 * declaration, where the fix goes. It reads the facts alone (`checkFacts`): each summary carries
 * its declarations' anchors, so no file is read or parsed again for it.
 */
export default defineRule({
  inputs: ['sharedSummaries'],
  meta: {
    id: 'FT045',
    name: 'shared-state-written-elsewhere',
    title: 'Shared global or static state written without a lock in another file',
    category: 'shared-state',
    why: 'Code in another file writes this variable from threads Python runs at once; without the GIL nothing orders those writes.',
    targets: ['c', 'cpp'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: true,
    triggers: [],
    messages: {
      writtenElsewhere: 'Shared {{kind}} `{{name}}` is written without a lock in {{writers}}; {{reach}}',
    },
    help: {
      writtenElsewhere: 'Move `{{name}}` into module state guarded by a `PyMutex`, make it atomic or thread-local, or compile it out under `#ifdef Py_GIL_DISABLED`',
    },
  },
  checkFacts(ctx) {
    const summaries = ctx.facts.sharedSummaries;
    const writing = summaries.filter((s) => s.foreignWrites.length > 0);
    if (writing.length === 0) return;
    // Functions that Python reaches through another file: named in its tables, or called from
    // its Python-callable code (one step of call resolution across files).
    const reachedElsewhere = new Set<string>();
    for (const s of summaries) for (const name of s.calls) reachedElsewhere.add(name);
    // Each unprotected write by the name it writes, in file order, with the file it is in.
    const writesOf = new Map<string, Array<{ other: PublishedSharedSummary; write: PublishedSharedSummary['foreignWrites'][number] }>>();
    for (const other of writing) {
      const own = new Set(other.declared.map((d) => d.name));
      for (const write of other.foreignWrites) {
        // A file that declares its own variable of that name writes its own.
        if (own.has(write.name)) continue;
        let list = writesOf.get(write.name);
        if (list === undefined) writesOf.set(write.name, (list = []));
        list.push({ other, write });
      }
    }
    const seenPaths = new Set<string>();
    for (const mine of summaries) {
      if (seenPaths.has(mine.path)) continue;
      seenPaths.add(mine.path);
      const variables = mine.declared.filter((v) => v.kind !== 'static-local' && v.kind !== 'field');
      // A `static` is visible to another file only through a local `#include "…"`: a file without
      // one, whose only file-scope variables are statics, has nothing another file can write.
      if (!variables.some((v) => mine.includesLocal || v.kind !== 'static-global')) continue;
      const linked = (other: PublishedSharedSummary, isStatic: boolean): boolean =>
        !isStatic || mine.includes.includes(baseName(other.path)) || other.includes.includes(baseName(mine.path));
      for (const variable of variables) {
        const candidates = writesOf.get(variable.name);
        if (variable.at === undefined || candidates === undefined) continue;
        const writes: Array<{ path: string; function: string; line: number; reached: boolean }> = [];
        for (const { other, write: w } of candidates) {
          if (other === mine || !linked(other, variable.kind === 'static-global')) continue;
          writes.push({ path: other.path, function: w.function, line: w.line, reached: w.reached || reachedElsewhere.has(w.function) });
        }
        if (writes.length === 0) continue;
        writes.sort((a, b) => Number(b.reached) - Number(a.reached));
        const shown = writes.slice(0, 2).map((w) => `\`${w.function}\` (${baseName(w.path)}:${w.line})`);
        const writers = writes.length > 2 ? `${shown.join(', ')} and ${writes.length - 2} more` : shown.join(' and ');
        const reached = writes.some((w) => w.reached);
        ctx.report({
          path: mine.path,
          at: variable.at,
          messageId: 'writtenElsewhere',
          symbol: variable.name,
          confidence: reached ? 'medium' : 'low',
          data: {
            kind: sharedKindLabel[variable.kind],
            name: variable.name,
            writers,
            reach: reached ? 'Python reaches the writer through a method table or a call' : 'no method table seen reaches the writer, but other files may call it',
          },
        });
      }
    }
  },
});
