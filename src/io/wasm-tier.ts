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
  process.getBuiltinModule('node:v8').setFlagsFromString('--liftoff-only');
}
