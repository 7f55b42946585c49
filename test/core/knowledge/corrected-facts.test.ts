/**
 * Facts that were wrong on the pages once, pinned so they stay corrected. Each case names the
 * primary source it was checked against.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const page = (name: string): string => readFileSync(new URL(`../../../knowledge/${name}`, import.meta.url), 'utf8');

describe('corrected knowledge facts', () => {
  it('pytest-freethreaded takes --threads and --iterations, not --executions (plugin.py)', () => {
    const text = page('testing-parallel-pytest.md');
    expect(text).toContain('`--iterations` (default 200)');
    expect(text).toContain('`--threads` (default 10)');
    expect(text).toContain('freethreaded(threads=..., iterations=...)');
    expect(text).toMatch(/pytest --threads=10 --iterations=20 --require-gil-disabled/);
    expect(text).not.toMatch(/--executions=|executions=\.\.\./);
  });

  it('packaging 26.1 yields abi3t tags on 3.13t and 3.14t too (pypa/packaging#1099)', () => {
    const text = page('wheel-tags.md');
    expect(text).toContain('`abi3t` tags on every free-threaded interpreter, 3.13t and 3.14t included');
    expect(text).not.toContain('tags for 3.15+ interpreters');
  });

  it('cp314-abi3t is unsupported but possible under PEP 803, not reserved', () => {
    const text = page('stable-abi-abi3t.md');
    expect(text).toContain('*unsupported but possible* under PEP 803');
    expect(text).not.toMatch(/cp314-abi3t` are reserved/);
  });

  it('PySlot comes from PEP 820, the entry point from PEP 793', () => {
    const text = page('declaring-support-multi-phase-init.md');
    expect(text).toContain("PEP 820 (also 3.15, the unified slot system) replaced it with `PySlot`");
    expect(text).toContain('(PEP 793)');
  });

  it('meson-python refuses the limited API on free-threaded builds (meson-python#621)', () => {
    const text = page('stable-abi-abi3t.md');
    expect(text).toContain('mesonbuild/meson-python#621');
    expect(text).toContain('-Dpython.allow_limited_api=false');
    expect(text).not.toContain('not verified here');
  });

  it('Cython critical_section: the with-statement is preferred and the decorator carries its caveat (cython#7324)', () => {
    const text = page('cython-free-threading.md');
    expect(text).toContain('cython/cython#7324');
    expect(text).toContain('building the return value calls the C API');
    // Every "Good" example locks with the with-statement, never the decorator.
    expect(text).not.toMatch(/Good:\s*```cython[\s\S]{0,200}@cython\.critical_section/);
  });

  it('the C-API thread-safety annotations are in the 3.14 docs too (gh-142518)', () => {
    const text = page('list-borrowed-references.md');
    expect(text).toContain('backported to the 3.14 documentation, gh-142518');
    expect(text).not.toContain("CPython's 3.15 thread-safety annotations");
  });

  it("Homebrew's free-threaded formula is listed for Linux as well as macOS", () => {
    expect(page('ci-setup.md')).toContain('Homebrew (macOS and Linux): the `python-freethreading` formula');
  });
});
