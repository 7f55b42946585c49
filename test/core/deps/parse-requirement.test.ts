import { describe, expect, it } from 'vitest';
import { parseRequirement } from '../../../src/core/deps/parse-requirement.js';

describe('parseRequirement', () => {
  it('splits the example of the spec into name, extras, specifier and marker', () => {
    const parsed = parseRequirement('requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < "2.7"');
    expect(parsed).toMatchObject({
      ok: true,
      requirement: { name: 'requests', key: 'requests', extras: ['security', 'tests'], specifier: '>=2.8.1,==2.8.*', marker: 'python_version < "2.7"' },
    });
  });

  it('normalises the name to its PEP 503 key', () => {
    expect(parseRequirement('Pydantic_Core.X>=2')).toMatchObject({ ok: true, requirement: { name: 'Pydantic_Core.X', key: 'pydantic-core-x' } });
  });

  it('reads a bare name, a parenthesised specifier and a marker without spaces', () => {
    expect(parseRequirement('numpy')).toMatchObject({ ok: true, requirement: { specifier: '', marker: null, markerTree: null, extras: [] } });
    expect(parseRequirement('Pillow (>=11, <12)')).toMatchObject({ ok: true, requirement: { specifier: '>=11,<12' } });
    expect(parseRequirement('argparse;python_version<"2.7"')).toMatchObject({ ok: true, requirement: { name: 'argparse', marker: 'python_version<"2.7"' } });
  });

  it('reads a direct reference and its marker after whitespace', () => {
    expect(parseRequirement('pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da92 ; sys_platform == "linux"')).toMatchObject({
      ok: true,
      requirement: { name: 'pip', url: 'https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da92', marker: 'sys_platform == "linux"' },
    });
    expect(parseRequirement('pkg[x] @ file:///src/pkg')).toMatchObject({ ok: true, requirement: { extras: ['x'], url: 'file:///src/pkg' } });
  });

  it('reports what does not parse', () => {
    expect(parseRequirement('./local/pkg')).toEqual({ ok: false, error: 'expected a project name' });
    expect(parseRequirement('numpy[fast')).toEqual({ ok: false, error: 'missing `]` after the extras' });
    expect(parseRequirement('numpy >= 1, banana')).toEqual({ ok: false, error: '`banana` is not a version clause' });
    expect(parseRequirement('numpy ; os_nam == "nt"')).toEqual({ ok: false, error: 'invalid marker: unknown marker variable `os_nam`' });
    expect(parseRequirement('numpy @ ')).toEqual({ ok: false, error: 'missing URL after `@`' });
    expect(parseRequirement('pkg @ https://x.test/p.whl junk')).toEqual({ ok: false, error: 'unexpected `junk` after the URL' });
  });

  it('quotes what it read so that a message cannot leave its code span', () => {
    expect(parseRequirement('numpy >= 1, `@team ping`')).toEqual({ ok: false, error: "`'@team ping'` is not a version clause" });
  });
});
