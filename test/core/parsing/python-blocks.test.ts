import { describe, expect, it } from 'vitest';
import { enclosingHeaders, namesDerivedFrom, pythonStatementEnd } from '../../../src/core/parsing/python-blocks.js';

const GUARD = /Py_GIL_DISABLED/;

describe('enclosingHeaders', () => {
  it('gives the headers around an offset, innermost first, with the if of an else branch', () => {
    const text = ['if FT:', '    pass', 'else:', '    for m in mods:', '        macros.append(m)', 'done = 1'].join('\n');
    const headers = enclosingHeaders(text, text.indexOf('macros'));
    expect(headers.map((h) => h.text)).toEqual(['for m in mods:', 'else:', 'if FT:']);
    expect(enclosingHeaders(text, text.indexOf('done'))).toEqual([]);
  });

  it('reads a bracketed condition over several lines and skips the continuation lines of a call', () => {
    const text = [
      'if (',
      '    a == 1',
      '    and b',
      '):',
      '    exts = [',
      '        Extension(',
      '            "m",',
      '            define_macros=[("X", 1)],',
      '        ),',
      '    ]',
    ].join('\n');
    const headers = enclosingHeaders(text, text.indexOf('define_macros'));
    expect(headers).toHaveLength(1);
    expect(headers[0]?.keyword).toBe('if');
    expect(headers[0]?.text).toBe('if ( a == 1 and b ):');
  });

  it('does not take a line inside a triple-quoted string for a header', () => {
    const text = ['DOC = """', 'if nothing:', '"""', 'value = 1'].join('\n');
    expect(enclosingHeaders(text, text.indexOf('value'))).toEqual([]);
  });
});

describe('namesDerivedFrom', () => {
  it('follows assignments, multi-line values and functions, but not keyword arguments', () => {
    const text = [
      'import sysconfig',
      'FT = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))',
      'ABI3 = not FT',
      'LIMITED = (',
      '    os.environ.get("X") == "1"',
      '    and not sysconfig.get_config_var("Py_GIL_DISABLED")',
      ')',
      'def wants_abi3():',
      '    return ABI3',
      'UNRELATED = 3',
      'ext = Extension(',
      '    "m",',
      '    py_limited_api=ABI3,',
      ')',
    ].join('\n');
    expect([...namesDerivedFrom(text, GUARD)].sort()).toEqual(['ABI3', 'FT', 'LIMITED', 'ext', 'wants_abi3']);
  });

  it('is linear on a long chain of names', () => {
    const lines = ['A0 = get_config_var("Py_GIL_DISABLED")'];
    for (let i = 1; i < 5000; i++) lines.push(`A${i} = A${i - 1}`);
    // Reversed, so that each name is defined before the one it uses: a fixed-point loop would
    // need one round per name.
    expect(namesDerivedFrom(lines.reverse().join('\n'), GUARD).size).toBe(5000);
  });
});

describe('pythonStatementEnd', () => {
  it('ends at the first newline outside brackets and strings', () => {
    const text = 'x = f(\n  "a)\\"",\n  2)\ny = 1';
    expect(text.slice(0, pythonStatementEnd(text, 0))).toBe('x = f(\n  "a)\\"",\n  2)');
  });
});
