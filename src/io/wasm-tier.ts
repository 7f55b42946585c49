/**
 * A CLI run is short: compiling tree-sitter's WASM with V8's baseline compiler only (Liftoff)
 * skips the optimising tier-up, which costs more than it saves in one run (measured on CPython's
 * sources: first parse pass 340 ms instead of 640–760 ms; steady state about 25 % slower, which a
 * single run never reaches). The CLI asks for it at start (`compileWasmWithBaselineOnly`); the flag
 * is set when the first grammar loads (`applyWasmTier`, before any WASM is compiled), so a run that
 * parses nothing, a warm re-scan, never loads Node's `v8` module. V8's flags are the process's:
 * worker threads started later compile with the same tier.
 */
let pending = false;

export function compileWasmWithBaselineOnly(): void {
  pending = true;
}

/** Sets the flag asked for, once, before the first WASM module is compiled. */
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
