import { analyzeRustSharedState, type RustCell, type RustCellAccess } from '../analysis/shared-state/analyze-rust.js';
import { codeList } from '../analysis/shared-state/code-list.js';
import { defineRule } from '../engine/define-rule.js';

// A cell type at a word boundary: the only places worth parsing for this rule.
const cellType = /\b(?:SyncUnsafeCell|UnsafeCell|RefCell|Cell)\b/g;

const atomicOf: Record<string, string> = {
  bool: 'AtomicBool',
  u8: 'AtomicU8',
  u16: 'AtomicU16',
  u32: 'AtomicU32',
  u64: 'AtomicU64',
  usize: 'AtomicUsize',
  i8: 'AtomicI8',
  i16: 'AtomicI16',
  i32: 'AtomicI32',
  i64: 'AtomicI64',
  isize: 'AtomicIsize',
};

const label = (c: RustCell): string => (c.owner === '' ? c.name : `${c.owner}.${c.name}`);

/** What to use instead, by the type the cell holds. */
function instead(c: RustCell): string {
  const atomic = atomicOf[c.inner];
  if (atomic !== undefined) return `an \`${atomic}\` (a counter or flag needs no lock)`;
  if (/^(?:\*(?:mut|const)\b|NonNull\b|Option\s*<\s*NonNull\b)/.test(c.inner)) return 'an `AtomicPtr` swapped with compare-and-exchange, or a `Mutex`';
  if (c.owner !== '' && c.pyclass) return 'a `Mutex` or `RwLock`, or a per-object critical section (`with_critical_section`) around the whole update';
  return 'a `Mutex` or `RwLock` (a `PyMutex` in raw C-API code), taken once around the whole update';
}

function reachText(a: RustCellAccess): string {
  if (a.reach !== 'entry') return 'any thread holding a shared reference to it can run this function at the same time';
  return a.via === undefined ? 'Python calls this function directly, from any thread' : `Python reaches it through \`${a.via}\`, from any thread`;
}

/**
 * Interior mutability with nothing ordering the threads: `UnsafeCell` fields (and `Cell` /
 * `RefCell` in a type declared `Sync` by hand) used through a shared reference in a Python-facing
 * file. One finding per cell at its declaration, listing the functions that use it, and one per
 * such function at its first use: the fix (one lock taken around the function's whole update) is
 * per function, so further uses in it add nothing.
 */
export default defineRule({
  meta: {
    id: 'FT056',
    name: 'interior-mutability-unlocked',
    title: '`UnsafeCell` or hand-made `Sync` cell used without a lock',
    category: 'shared-state',
    why: 'An `UnsafeCell` (or a `Cell` / `RefCell` declared `Sync` by hand) relied on the GIL to keep threads apart; without it two threads update the value at once.',
    targets: ['rust'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    // A new rule runs only when selected by id, or with `--select ALL` / `--preview`.
    preview: true,
    triggers: [],
    messages: {
      declared: '`{{cell}}` is {{kind}} used without a lock in {{functions}}',
      used: '`{{cell}}` ({{kind}}) is used without a lock in `{{function}}`; {{reach}}',
    },
    help: {
      declared: 'Replace `{{cell}}` with {{instead}}',
      used: 'Replace `{{cell}}` with {{instead}}, and change this function with it',
    },
  },
  prefilter: (text) => Array.from(text.matchAll(cellType), (m) => m.index),
  check(ctx) {
    if (ctx.root === undefined) return;
    const analysis = analyzeRustSharedState(ctx.root, ctx.text);
    for (const cell of analysis.cells) {
      const uses = analysis.cellAccesses.filter((a) => a.cell === cell);
      const shared = uses.some((a) => a.reach === 'entry');
      const kind = `${cell.type.startsWith('U') ? 'an' : 'a'} \`${cell.type}\``;
      const data = { cell: label(cell), kind, instead: instead(cell) };
      ctx.report({
        start: cell.at,
        end: cell.end,
        messageId: 'declared',
        symbol: label(cell),
        data: { ...data, functions: codeList(uses.map((a) => a.function)) },
        related: uses.slice(0, 8).map((a) => ({ start: a.at, message: `used in \`${a.function}\`` })),
      });
      for (const a of uses) {
        ctx.report({
          start: a.at,
          end: a.end,
          messageId: 'used',
          symbol: `${label(cell)} ${a.function}`,
          confidence: a.reach === 'entry' || shared ? 'medium' : 'low',
          data: { ...data, function: a.function, reach: reachText(a) },
          related: [{ start: cell.at, message: `\`${label(cell)}\` declared here` }],
        });
      }
    }
  },
});
