/**
 * Every V8 flag the CLI sets for a short run, in one place. The GitHub App, which runs for days,
 * keeps V8's defaults. V8's flags are the process's: worker threads started later use them too.
 *
 * - Parsing (`compileWasmWithBaselineOnly`, applied by `applyWasmTier` when the first grammar
 *   loads): tree-sitter's WASM with the baseline compiler only, and a larger tier-up budget for the
 *   scan's JavaScript.
 * - A scan's start (`deferOptimisingCompiler` until `allowOptimisingCompiler`): no optimising
 *   compiler while a re-scan may still be replayed from the cache.
 */

/**
 * A CLI run is short: compiling tree-sitter's WASM with V8's baseline compiler only (Liftoff)
 * skips the optimising tier-up, which costs more than it saves in one run (measured on CPython's
 * sources: first parse pass 340 ms instead of 640–760 ms; steady state about 25 % slower, which a
 * single run never reaches). The CLI asks for it at start (`compileWasmWithBaselineOnly`); the flag
 * is set when the first grammar loads (`applyWasmTier`, before any WASM is compiled), so only a run
 * that parses sets it.
 */
let pending = false;

export function compileWasmWithBaselineOnly(): void {
  pending = true;
}

/** Sets the flags asked for, once, before the first WASM module is compiled. */
export function applyWasmTier(): void {
  if (!pending) return;
  pending = false;
  const v8 = process.getBuiltinModule('node:v8');
  v8.setFlagsFromString('--liftoff-only');
  v8.setFlagsFromString(`--interrupt-budget=${SCAN_INTERRUPT_BUDGET}`);
}

/**
 * The same holds for the scan's JavaScript: with V8's default budget (132 KB of bytecode run
 * before a function is queued for TurboFan) a cold scan of the bench corpus optimised hundreds of
 * functions, the large ones several times, on background threads that took about a third of the
 * process's CPU time, and on a 2-core machine competed with a second scan thread. A budget about
 * four times as large leaves the cold functions to the baseline tiers.
 */
const SCAN_INTERRUPT_BUDGET = 600 * 1024;

/**
 * A warm re-scan (nothing changed, the result replayed from the cache) lasts a few hundred
 * milliseconds, most of them in a loop over the tree: a directory listing and a `stat` per file.
 * V8's optimising compiler (TurboFan) compiles that loop's functions (Node's `statSync` and
 * `Stats`, the walk's own) on background threads, and the code arrives too late to pay back what
 * compiling it cost. Measured on the bench corpus (2,223 files), a warm re-scan without it spent
 * 13 % less CPU and 4.6 MB less peak memory; the baseline compiler (Sparkplug) still runs.
 *
 * The CLI defers TurboFan when it runs `scan` (`deferOptimisingCompiler`); a scan that has files to
 * scan turns it on again (`allowOptimisingCompiler`) before it loads the rules, which run for
 * seconds and need it. The flags are the process's: worker threads started after that use it too.
 * Only `--turbofan` is toggled: V8's other tiers (Maglev, where it is on by default) keep their
 * defaults, which `--max-opt` would not (a lowered cap turns TurboFan off, a raised one does not
 * turn it back on).
 */
let deferred = false;

/** Turns V8's optimising compiler off until `allowOptimisingCompiler`. */
export function deferOptimisingCompiler(): void {
  if (deferred) return;
  deferred = true;
  process.getBuiltinModule('node:v8').setFlagsFromString('--no-turbofan');
}

/** Turns V8's optimising compiler on again, when `deferOptimisingCompiler` turned it off. */
export function allowOptimisingCompiler(): void {
  if (!deferred) return;
  deferred = false;
  process.getBuiltinModule('node:v8').setFlagsFromString('--turbofan');
}
