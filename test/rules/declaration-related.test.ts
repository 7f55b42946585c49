import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/diagnostics.js';
import { scanFiles, type Grammars } from '../../src/core/engine/scan-files.js';
import { rules } from '../../src/core/rules/index.js';
import { loadGrammars } from '../../src/io/load-grammars.js';

/**
 * The other valid place for a module declaration, given as the finding's related place: the
 * `cythonize()` call that compiles a `.pyx` reported at its header (FT010), and the body of a
 * function-style `#[pymodule]` where `m.gil_used(false)?;` goes (FT011). The fixture marks check
 * where findings start; these tests check where their related places point.
 */
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'rules');

let grammars: Grammars;
beforeAll(async () => {
  grammars = await loadGrammars();
});

/** Every file below `dir` (paths relative to it), as scan inputs. */
function filesOf(dir: string): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  const visit = (at: string): void => {
    for (const name of readdirSync(at).sort()) {
      const full = join(at, name);
      if (statSync(full).isDirectory()) visit(full);
      else out.push({ path: relative(dir, full), text: readFileSync(full, 'utf8') });
    }
  };
  visit(dir);
  return out;
}

function scan(ruleId: string, files: Array<{ path: string; text: string }>): Finding[] {
  const result = scanFiles({ files, grammars, rules: rules.filter((r) => r.meta.id === ruleId), config: { maxFileSize: 5_000_000, minSeverity: 'info' } });
  return result.findings;
}

const places = (f: Finding | undefined) => (f?.related ?? []).map((r) => `${r.path}:${r.line}:${r.column}`);

describe('FT010: a directives dict assigned again', () => {
  it('names the later assignment as a related place and edits both dicts', () => {
    const findings = scan('FT010', filesOf(join(FIXTURES, 'ft010-cython-freethreading-undeclared', 'reassigned-directives')));
    expect(findings.map((f) => `${f.path}:${f.line}`)).toEqual(['setup.py:8']);
    const [finding] = findings;
    // The cythonize() call (line 20), the test build's own dict (line 14), then the one module's header.
    expect(places(finding)).toEqual(['setup.py:20:17', 'setup.py:14:5', 'fast.pyx:1:1']);
    expect(finding?.related?.[1]?.message).toContain('the directive goes here too');
    // The later assignment is a span, from its name to its closing brace (line 17), where a
    // maintainer appends the entry; the call and the header stay points.
    expect(finding?.related?.map((r) => r.endLine)).toEqual([undefined, 17, undefined]);
    expect(finding?.related?.[1]?.endColumn).toBe(6);
    expect(finding?.fix?.edits.map((e) => e.text.trim())).toEqual(['"freethreading_compatible": True,', '"freethreading_compatible": True,']);
  });

  it('leaves out an assignment that spreads the first dict, which inherits its directive', () => {
    const files = [
      { path: 'setup.py', text: 'from Cython.Build import cythonize\nD = {"language_level": 3}\nif cov:\n    D = {**D, "linetrace": True}\ncythonize(["a.pyx"], compiler_directives=D)\n' },
      { path: 'a.pyx', text: 'def f():\n    pass\n' },
    ];
    const [finding] = scan('FT010', files);
    expect(places(finding)).toEqual(['setup.py:5:1', 'a.pyx:1:1']);
    expect(finding?.fix?.edits).toHaveLength(1);
  });

  it('names no module header when the build step compiles several modules', () => {
    const files = [
      { path: 'setup.py', text: 'from Cython.Build import cythonize\nD = {"language_level": 3}\ncythonize(["*.pyx"], compiler_directives=D)\n' },
      { path: 'a.pyx', text: 'def f():\n    pass\n' },
      { path: 'b.pyx', text: 'def g():\n    pass\n' },
    ];
    const [finding, ...rest] = scan('FT010', files);
    expect(rest).toEqual([]);
    expect(finding?.message).toContain('2 Cython modules');
    expect(places(finding)).toEqual(['setup.py:3:1']);
  });

  it('gives a dict assigned once no such place', () => {
    const files = [
      { path: 'setup.py', text: 'from Cython.Build import cythonize\nD = {"language_level": 3}\ncythonize(["a.pyx"], compiler_directives=D)\n' },
      { path: 'a.pyx', text: 'def f():\n    pass\n' },
    ];
    const [finding, ...rest] = scan('FT010', files);
    expect(rest).toEqual([]);
    expect(places(finding)).toEqual(['setup.py:3:1', 'a.pyx:1:1']);
    expect(finding?.fix?.edits).toHaveLength(1);
  });
});

describe('FT010: the cythonize() call as the other place for the directive', () => {
  const dir = join(FIXTURES, 'ft010-cython-freethreading-undeclared', 'cythonize-shared-call');

  it('names the call that compiles each module, the same call for every module it compiles', () => {
    const findings = scan('FT010', filesOf(dir));
    expect(findings.map((f) => `${f.path}:${f.line}`).sort()).toEqual(['src/bytes_trie.pyx:1', 'src/trie.pyx:1']);
    // `ext_modules=cythonize(extensions, …)` is on line 12, the call at column 17.
    for (const f of findings) {
      expect(places(f)).toEqual(['setup.py:12:17']);
      expect(f.related?.[0]?.message).toContain("compiler_directives={'freethreading_compatible': True}");
      expect(f.help).toContain('`cythonize()` call that compiles it (setup.py:12)');
      // The fix still edits the module's own header, and its title names only that edit.
      expect(f.fix?.title).toBe('Add `# cython: freethreading_compatible=True` to the header once the module is thread-safe');
      expect(f.fix?.edits.every((e) => e.start === e.end && e.text.includes('freethreading_compatible=True'))).toBe(true);
    }
  });

  it('gives no related place when the build file is not part of the scan', () => {
    const alone = filesOf(dir).filter((f) => f.path === 'src/trie.pyx');
    const [finding, ...rest] = scan('FT010', alone);
    expect(rest).toEqual([]);
    expect(finding?.related).toBeUndefined();
    expect(finding?.help).toBe('Add `# cython: freethreading_compatible=True` to the header once the module is thread-safe');
  });

  it('gives none when the call already sets directives (the finding is at the call, its one module the related place) or when two calls could compile the module', () => {
    const atCall = scan('FT010', filesOf(join(FIXTURES, 'ft010-cython-freethreading-undeclared', 'cythonize-directives-comment')));
    expect(atCall.map((f) => [f.path, places(f)])).toEqual([['setup.py', ['ring.pyx:1:1']]]);
    expect(atCall[0]?.related?.[0]?.message).toContain('in its header declares it alone');
    const twoCalls = [
      { path: 'setup.py', text: 'from Cython.Build import cythonize\na = cythonize(exts_a)\nb = cythonize(exts_b)\n' },
      { path: 'fast.pyx', text: 'def f():\n    pass\n' },
    ];
    const [finding] = scan('FT010', twoCalls);
    expect(finding?.path).toBe('fast.pyx');
    expect(finding?.related).toBeUndefined();
  });

  it('prefers the call that names the module to one whose sources are a variable', () => {
    const files = [
      { path: 'setup.py', text: 'from Cython.Build import cythonize\nother = cythonize(extensions)\nfast = cythonize(["fast.pyx"])\n' },
      { path: 'fast.pyx', text: 'def f():\n    pass\n' },
    ];
    expect(places(scan('FT010', files)[0])).toEqual(['setup.py:3:8']);
  });
});

describe('FT011: the module function body as the other place for the declaration', () => {
  const dir = join(FIXTURES, 'ft011-pyo3-gil-used');
  const project = (sub: string, file: string) => filesOf(join(dir, sub)).filter((f) => f.path === file || f.path === 'Cargo.toml');

  it('points before the body tail of a function-style module, naming its module parameter', () => {
    const findings = scan('FT011', project('pyo3-0.23', 'run-time.rs'));
    const register = findings.find((f) => f.line === 10);
    // `m.add("VERSION", …)` is the tail expression, on line 15; the comment before it is skipped.
    expect(places(register)).toEqual(['run-time.rs:15:5']);
    expect(register?.related?.[0]?.message).toContain('`m.gil_used(false)?;`');
    expect(register?.help).toContain('call `m.gil_used(false)?` in the module function');
    // The attribute fix is unchanged.
    expect(register?.fix?.edits.map((e) => e.text)).toEqual(['(gil_used = false)']);
    // A body that does not return `PyResult<()>` gets no run-time alternative.
    const boxed = findings.find((f) => f.line === 19);
    expect(boxed?.related).toBeUndefined();
    expect(boxed?.help).toBe('Add `gil_used = false` to the attribute once the module is thread-safe');
    // `m.gil_used(false)?;` in the body declares the module (quiet); a call on a submodule does not.
    expect(findings.map((f) => f.line)).toEqual([10, 19, 34]);
    expect(places(findings.find((f) => f.line === 34))).toEqual(['run-time.rs:39:5']);
  });

  it('points at the final `Ok(())` of the usual shape, and not into a declarative `mod` module', () => {
    const findings = scan('FT011', project('pyo3-0.23', 'lib.rs'));
    expect(findings.map((f) => [f.line, places(f)])).toEqual([[11, ['lib.rs:14:5']]]);
    expect(scan('FT011', project('pyo3-0.23', 'declarative.rs')).map((f) => f.related)).toEqual([undefined]);
  });

  it('gives the place with an unknown PyO3 version, and with one too old, as the place to use after upgrading', () => {
    const [unknown] = scan('FT011', project('unknown-version', 'lib.rs'));
    expect(unknown?.confidence).toBe('medium');
    expect(places(unknown)).toEqual(['lib.rs:6:5']);
    expect(unknown?.related?.[0]?.message).toContain('`_m.gil_used(false)?;`');
    const [old] = scan('FT011', project('pyo3-0.22', 'lib.rs'));
    expect(old?.message).toMatch(/^PyO3 0\.22\.\d+ cannot declare/);
    expect(places(old)).toEqual(['lib.rs:6:5']);
    expect(old?.related?.[0]?.message).toMatch(/^after the upgrade, /);
    expect(old?.help).toContain('Upgrade PyO3 to 0.23 or later');
    // The declarative form has no body to call it in: the upgrade advice alone.
    const cargo = project('pyo3-0.22', 'lib.rs').filter((f) => f.path === 'Cargo.toml');
    const [declarative] = scan('FT011', [...cargo, { path: 'lib.rs', text: 'use pyo3::prelude::*;\n\n#[pymodule]\nmod legacy {\n    #[pymodule_export]\n    use super::f;\n}\n' }]);
    expect(declarative?.related).toBeUndefined();
    expect(declarative?.help).toBe('Upgrade PyO3 to 0.23 or later (0.28+ assumes thread safety by default)');
  });

  it('gives none for `gil_used = true`, which is reported as a choice, not a missing declaration', () => {
    const findings = scan('FT011', project('gil-used-true', 'lib.rs'));
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.related === undefined)).toBe(true);
  });
});
