import { defineRule } from '../engine/define-rule.js';
import { enclosingHeaders, namesDerivedFrom } from '../parsing/python-blocks.js';

// setuptools: `Extension(..., py_limited_api=True)`, a `Py_LIMITED_API` macro, or the
// bdist_wheel option (`py_limited_api = cp39` in setup.cfg, `py-limited-api` in pyproject).
const limitedApi = /\bpy_limited_api\s*=\s*True\b|["']Py_LIMITED_API["']|^\s*py[-_]limited[-_]api\s*=\s*["']?cp3\d+|["']py_limited_api["']\s*:\s*["']cp3\d+/m;
// PyO3: an `abi3*` feature of `pyo3` / `pyo3-ffi` in `Cargo.toml` (`pyo3 = { features = ["abi3-py39"] }`),
// or a `"pyo3/abi3-py39"` feature that every build turns on: Cargo's `default` features or
// `[tool.maturin] features`. An opt-in feature (`abi3 = ["pyo3/abi3-py39"]`) is the fix, not the problem.
const pyo3Dependency = /^[ \t]*pyo3(?:-ffi)?[ \t]*=[ \t]*\{[^\n]*?\bfeatures[ \t]*=[ \t]*\[[^\]]{0,500}?["']abi3[\w-]*["']/gm;
const pyo3Table = /^\[(?:workspace\.)?dependencies\.pyo3(?:-ffi)?\][^[]{0,2000}?^[ \t]*features[ \t]*=[ \t]*\[[^\]]{0,500}["']abi3[\w-]*["']/gm;
const forwardedFeature = /^[ \t]*(?:default|features)[ \t]*=[ \t]*\[[^\]]{0,500}?["']pyo3(?:-ffi)?\/abi3[\w-]*["']/gm;

/** The PyO3 abi3 features of a `Cargo.toml` or `pyproject.toml` (comments already blanked). */
function pyo3Abi3(code: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (const pattern of [pyo3Dependency, pyo3Table, forwardedFeature]) {
    for (const m of code.matchAll(pattern)) {
      const start = m.index + (m[0].length - m[0].trimStart().length);
      if (!out.some((r) => start < r.end && r.start < m.index + m[0].length)) out.push({ start, end: m.index + m[0].length });
    }
  }
  return out;
}

// The guide's recipe turns the limited API off on free-threaded builds.
const freeThreadedGuard = /Py_GIL_DISABLED|free_?threaded/i;

export default defineRule({
  meta: {
    id: 'FT030',
    name: 'limited-api-free-threaded',
    title: 'Limited-API (abi3) build that free-threaded Pythons cannot use',
    category: 'build',
    why: 'Before Python 3.15 the limited API does not cover the free-threaded build: `Python.h` rejects `Py_LIMITED_API` with `Py_GIL_DISABLED`, so no free-threaded wheel is built.',
    targets: ['setup-py', 'setup-cfg', 'pyproject', 'cargo'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: false,
    triggers: ['py_limited_api', 'Py_LIMITED_API', 'py-limited-api', 'abi3'],
    messages: {
      abi3: 'The build targets the limited API (abi3), which free-threaded CPython 3.13 and 3.14 cannot build or load',
      pyo3: 'Every maturin build turns on PyO3\'s `abi3` feature, which free-threaded CPython 3.13 and 3.14 do not support',
      macro: '`Py_LIMITED_API` is defined for every build, free-threaded ones included, although this script turns the limited API off for them elsewhere',
    },
    help: {
      abi3: 'Turn the limited API off when `sysconfig.get_config_var("Py_GIL_DISABLED")` is true, or target `abi3t` from Python 3.15',
      pyo3: 'Make `abi3` an opt-in Cargo feature (`abi3 = ["pyo3/abi3-py39"]`) that only the GIL wheel builds enable',
      macro: 'Define the macro under the same check as the rest: `define_macros=[("Py_LIMITED_API", ...)] if USE_ABI3 else []`',
    },
  },
  check(ctx) {
    // Comments never configure a build: blank them (keeping offsets) before matching.
    const code = ctx.text.replace(/#[^\n]*/g, (c) => ' '.repeat(c.length));
    // Only maturin builds: setuptools-rust builds free-threaded wheels of an `abi3` crate as
    // version-specific ones (rustworkx ships `cp314t` wheels with `abi3-py310` on).
    const maturin = [...ctx.project.buildFiles.values()].some((f) => f.pins.some((p) => p.tool === 'maturin'));
    if (ctx.path.endsWith('.toml') && maturin) {
      // Informational: PyO3 can still build version-specific `t` wheels of such a crate.
      for (const r of pyo3Abi3(code)) ctx.report({ ...r, messageId: 'pyo3', symbol: '<build>', severity: 'info', confidence: 'low' });
    }
    if (ctx.path.endsWith('.toml')) {
      if (ctx.path.endsWith('Cargo.toml')) return;
    }
    const guarded = freeThreadedGuard.test(code);
    // A file that cannot hold a condition (setup.cfg, pyproject.toml) and mentions the free-threaded
    // build is taken as handled.
    if (guarded && !ctx.path.endsWith('.py')) return;
    // In a build script the check is per place: a setting under `if not FREE_THREADED:` or followed
    // by `if USE_ABI3 else ...` is handled; one the condition does not reach is not.
    const guardNames = guarded ? [...namesDerivedFrom(code, freeThreadedGuard)] : [];
    // One pattern for every name computed from the check (Python names are word characters), built once.
    const namesPattern = guardNames.length === 0 ? undefined : new RegExp(`\\b(?:${guardNames.join('|')})\\b`);
    const mentionsGuard = (s: string): boolean => freeThreadedGuard.test(s) || namesPattern?.test(s) === true;
    const handled = (start: number, end: number): boolean => {
      const lineEnd = code.indexOf('\n', end);
      const rest = code.slice(end, lineEnd < 0 ? code.length : lineEnd);
      if (/\bif\b/.test(rest) && mentionsGuard(rest)) return true;
      return enclosingHeaders(code, start).some((h) => h.keyword !== 'def' && h.keyword !== 'class' && mentionsGuard(h.text));
    };
    // Every place that forces the limited API is one edit of the port (the `Extension` option,
    // the macro, the wheel tag): each is reported.
    const limitedApiAll = new RegExp(limitedApi.source, 'gm');
    for (const match of code.matchAll(limitedApiAll)) {
      const start = match.index + (match[0].length - match[0].trimStart().length);
      const end = match.index + match[0].length;
      const macroOnly = match[0].includes('Py_LIMITED_API');
      // In a file that handles the free-threaded build, only an unhandled `Py_LIMITED_API` macro is
      // certain to break it (`Python.h` stops with an error): setuptools names the module with a
      // suffix the interpreter lists, and its wheel command keeps the abi3 tag off free-threaded
      // interpreters (pypa/setuptools#4424).
      if (guarded && (!macroOnly || handled(start, end))) continue;
      // A `Py_LIMITED_API` macro in a build script is often behind an opt-in option (lxml's
      // `--lxml-limited-api`): low confidence; `py_limited_api=True` is a plain statement. A macro
      // the free-threaded check of the same script does not reach is a plain mistake.
      if (guarded) ctx.report({ start, end, messageId: 'macro', symbol: '<build>' });
      else ctx.report({ start, end, messageId: 'abi3', symbol: '<build>', ...(macroOnly ? { confidence: 'low' as const } : {}) });
    }
  },
});
