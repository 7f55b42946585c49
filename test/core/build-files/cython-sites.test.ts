import { describe, expect, it } from 'vitest';
import { setupPySites } from '../../../src/core/build-files/cython-sites.js';

const site = (text: string) => {
  const sites = setupPySites('setup.py', text);
  expect(sites).toHaveLength(1);
  return sites[0]!;
};

describe('setupPySites: does the build set Cython directives?', () => {
  it('does not count a language_level keyword of cythonize() as a directives mechanism', () => {
    const text = 'setup(ext_modules=cythonize(exts, language_level="3"))\n';
    const s = site(text);
    expect(s.setsDirectives).toBe(false);
    // Were the finding put here, its fix would add the argument to the call.
    expect(s.fix?.text).toBe(", compiler_directives={'freethreading_compatible': True}");
  });

  it('does not count a dict that starts empty and gains entries only inside conditions', () => {
    const text = [
      'directives = {}',
      'if profiling:',
      '    directives["profile"] = True',
      'if coverage:',
      '    directives.update(linetrace=True)',
      'ext_modules = cythonize(exts, compiler_directives=directives)',
      '',
    ].join('\n');
    const s = site(text);
    expect(s.setsDirectives).toBe(false);
    expect(s.directivesUnderCondition).toBe(true);
    // The site spans the dict and the entries added to it, up to the end of the last one.
    expect(text.slice(s.start, s.end)).toBe(text.slice(0, text.indexOf('\next_modules')));
    expect(s.call?.start).toBe(text.indexOf('cythonize('));
  });

  it('spans only the entries added before the first compile call, so calls sharing the dict share one span', () => {
    const text = ['d = {}', 'if cov:', '    d["linetrace"] = True', 'a = cythonize(x, compiler_directives=d)', 'if prof:', '    d["profile"] = True', 'b = cythonize(y, compiler_directives=d)', ''].join('\n');
    const sites = setupPySites('setup.py', text);
    expect(sites).toHaveLength(2);
    expect(sites.map((s) => text.slice(s.start, s.end))).toEqual([text.slice(0, text.indexOf('\na =')), text.slice(0, text.indexOf('\na ='))]);
  });

  it('counts an empty dict that gains an entry at its own depth', () => {
    const text = ['directives = {}', 'directives["boundscheck"] = False', 'if profiling:', '    directives["profile"] = True', 'cythonize(exts, compiler_directives=directives)', ''].join('\n');
    expect(site(text).setsDirectives).toBe(true);
    expect(site(text).directivesUnderCondition).toBeUndefined();
  });

  it('compares depths from the assignment, which may itself sit in a block', () => {
    const text = ['try:', '    import Cython', 'except ImportError:', '    pass', 'else:', '    d = {}', '    if trace:', '        d["linetrace"] = True', '    exts = cythonize(exts, compiler_directives=d)', ''].join('\n');
    expect(site(text).setsDirectives).toBe(false);
  });

  it('does not count an empty inline dict, and counts one with entries', () => {
    expect(site('cythonize(exts, compiler_directives={})\n').setsDirectives).toBe(false);
    expect(site('cythonize(exts, compiler_directives={"binding": True})\n').setsDirectives).toBe(true);
  });

  it('counts options spread into cythonize() when the file gives them compiler_directives', () => {
    const text = 'options = {"language_level": 3}\nif cov:\n    options["compiler_directives"] = {"linetrace": True}\nsetup(ext_modules=cythonize(exts, **options))\n';
    const s = site(text);
    expect(s.setsDirectives).toBe(true);
    expect(text.slice(s.start, s.end)).toBe('options = {"language_level": 3}');
  });

  it('does not count options spread into cythonize() that hold only compile options', () => {
    expect(site('options = {"nthreads": 4, "language_level": 3}\ncythonize(exts, **options)\n').setsDirectives).toBe(false);
  });
});

describe('setupPySites: Extensions that each pass their own cython_directives dict', () => {
  const ext = (name: string, dict: string) => `    Extension("pkg.${name}", ["pkg/${name}.pyx"], cython_directives=${dict}),`;

  it('makes one site per inline dict, anchored at it, with an edit inside it and only its own sources', () => {
    const text = ['exts = [', ext('a', '{"language_level": 3}'), ext('b', '{"language_level": 3, "freethreading_compatible": True}'), ']', ''].join('\n');
    const sites = setupPySites('setup.py', text);
    expect(sites.map((s) => [text.slice(s.start, s.end), s.sources, s.declares, s.setsDirectives])).toEqual([
      ['{"language_level": 3}', ['pkg/a.pyx'], false, true],
      ['{"language_level": 3, "freethreading_compatible": True}', ['pkg/b.pyx'], true, true],
    ]);
    expect(sites[0]?.fix).toEqual({ start: text.indexOf('{"language_level": 3}') + 1, end: text.indexOf('{"language_level": 3}') + 1, text: '"freethreading_compatible": True, ' });
    expect(sites[1]?.fix).toBeUndefined();
    expect(sites[0]?.call?.start).toBe(text.indexOf('Extension('));
  });

  it('anchors at each named dict when the Extensions pass different ones', () => {
    const text = ['fast = {"boundscheck": False}', 'safe = {"boundscheck": True}', 'exts = [', ext('a', 'fast'), ext('b', 'safe'), ']', ''].join('\n');
    expect(setupPySites('setup.py', text).map((s) => text.slice(s.start, s.end))).toEqual(['fast = {"boundscheck": False}', 'safe = {"boundscheck": True}']);
  });

  it('keeps one site when every Extension passes the same named dict', () => {
    const text = ['d = {"language_level": 3}', 'exts = [', ext('a', 'd'), ext('b', 'd'), ']', ''].join('\n');
    const sites = setupPySites('setup.py', text);
    expect(sites).toHaveLength(1);
    expect(text.slice(sites[0]!.start, sites[0]!.end)).toBe('d = {"language_level": 3}');
  });

  it('trusts the directive set outside the dicts for every module of the file', () => {
    const text = ['get_directive_defaults()["freethreading_compatible"] = True', 'exts = [', ext('a', '{"language_level": 3}'), ext('b', '{"binding": True}'), ']', ''].join('\n');
    expect(setupPySites('setup.py', text).map((s) => s.declares)).toEqual([true, true]);
  });

  it('keeps one site when an Extension with its own dict names no source the scan can match', () => {
    const text = ['exts = [', '    Extension("pkg.a", SOURCES, cython_directives={"language_level": 3}),', ext('b', '{"language_level": 3}'), ']', ''].join('\n');
    expect(setupPySites('setup.py', text)).toHaveLength(1);
  });
});

describe('setupPySites: where the directive entry goes, and where the call is', () => {
  const applied = (text: string): string => {
    const fix = site(text).fix;
    expect(fix).toBeDefined();
    return text.slice(0, fix!.start) + fix!.text + text.slice(fix!.end);
  };

  it('puts the entry on a line of its own after a comment on the `{` line, not into the comment', () => {
    const text = ['D = {  # shared by every module', '    "language_level": 3,', '}', 'cythonize(exts, compiler_directives=D)', ''].join('\n');
    expect(applied(text)).toBe(['D = {  # shared by every module', '    "freethreading_compatible": True,', '    "language_level": 3,', '}', 'cythonize(exts, compiler_directives=D)', ''].join('\n'));
  });

  it('does the same for an inline dict, and for a `{` that ends its line (with CRLF line ends)', () => {
    const inline = 'cythonize(exts, compiler_directives={  # see docs\n        "binding": True,\n    })\n';
    expect(applied(inline)).toBe('cythonize(exts, compiler_directives={  # see docs\n        "freethreading_compatible": True,\n        "binding": True,\n    })\n');
    const crlf = "D = {\r\n    'binding': True,\r\n}\r\ncythonize(exts, compiler_directives=D)\r\n";
    expect(applied(crlf)).toBe("D = {\r\n    'freethreading_compatible': True,\r\n    'binding': True,\r\n}\r\ncythonize(exts, compiler_directives=D)\r\n");
  });

  it('keeps a dict written on one line on one line', () => {
    expect(applied('cythonize(exts, compiler_directives={"binding": True})\n')).toBe('cythonize(exts, compiler_directives={"freethreading_compatible": True, "binding": True})\n');
  });

  it('records the line and column where each cythonize() call starts', () => {
    const text = 'from Cython.Build import cythonize\n\nsetup(\n    ext_modules=cythonize(exts),\n)\n';
    expect(site(text).callAt).toEqual({ line: 4, column: 17 });
  });
});
