import { describe, expect, it } from 'vitest';
import { gapSpansHolding, segmentsContaining, splitTopLevelSegments, withGapSpans } from '../../../src/core/parsing/c-segments.js';

/**
 * The text of each segment, trimmed, for readable expectations. The `}` that closes an
 * `extern "C"` or namespace block leaves an empty segment (nothing to parse, so harmless): dropped.
 */
function pieces(text: string): string[] {
  return splitTopLevelSegments(text)
    .segments.map((s) => text.slice(s.start, s.end).trim())
    .filter((p) => p !== '');
}

describe('splitTopLevelSegments', () => {
  it('splits declarations, initialisers, structs and function definitions', () => {
    const text = [
      'static int counter;',
      'static PyMethodDef methods[] = {',
      '    {"f", f, METH_O, NULL},',
      '    {NULL, NULL, 0, NULL},',
      '};',
      'typedef struct {',
      '    PyObject_HEAD',
      '    int n;',
      '} Obj;',
      'static PyObject *',
      'f(PyObject *m, PyObject *a)',
      '{',
      '    if (a) { return a; }',
      '    return NULL;',
      '}',
      'int g(void) { return 0; }',
    ].join('\n');
    expect(pieces(text)).toEqual([
      'static int counter;',
      'static PyMethodDef methods[] = {\n    {"f", f, METH_O, NULL},\n    {NULL, NULL, 0, NULL},\n};',
      'typedef struct {\n    PyObject_HEAD\n    int n;\n} Obj;',
      'static PyObject *\nf(PyObject *m, PyObject *a)\n{\n    if (a) { return a; }\n    return NULL;\n}',
      'int g(void) { return 0; }',
    ]);
    expect(splitTopLevelSegments(text).balanced).toBe(true);
  });

  it('treats extern "C" and namespace blocks as transparent', () => {
    const text = 'extern "C" {\nint a(void) { return 1; }\nint b;\n}\nnamespace fast {\nint c(void) { return 2; }\n}  // namespace fast\n';
    expect(pieces(text)).toEqual(['int a(void) { return 1; }', 'int b;', 'int c(void) { return 2; }']);
    expect(splitTopLevelSegments(text).balanced).toBe(true);
  });

  it('keeps the brace depth of the first branch of #if/#else', () => {
    const text = [
      'static int f(PyObject *a) {',
      '#ifdef Py_GIL_DISABLED',
      '    if (a) {',
      '#else',
      '    if (!a) {',
      '#endif',
      '        return 1;',
      '    }',
      '    return 0;',
      '}',
      'static int after;',
    ].join('\n');
    const split = splitTopLevelSegments(text);
    expect(split.balanced).toBe(true);
    expect(pieces(text)).toHaveLength(2);
    expect(pieces(text)[1]).toBe('static int after;');
  });

  it('ignores braces in comments, strings, character literals and raw strings', () => {
    const text = [
      '/* { not a brace */',
      '// } nor this',
      'static const char *s = "{{{";',
      "static char c = '}';",
      'static const char *r = R"json({"a": [1, 2]})json";',
      'int f(void) { return 0; }',
    ].join('\n');
    const split = splitTopLevelSegments(text);
    expect(split.balanced).toBe(true);
    expect(pieces(text)).toEqual([
      'static const char *s = "{{{";',
      "static char c = '}';",
      'static const char *r = R"json({"a": [1, 2]})json";',
      'int f(void) { return 0; }',
    ]);
  });

  it('reports unbalanced input', () => {
    expect(splitTopLevelSegments('int f(void) {\n  if (x) {\n  return 0;\n}\n').balanced).toBe(false);
    expect(splitTopLevelSegments('int x; }\n').balanced).toBe(false);
    // A macro that opens a brace it does not close (NumPy-style loop macros).
    expect(splitTopLevelSegments('#define BEGIN {\nint f(void) BEGIN return 0; }\n}\n').balanced).toBe(false);
  });

  it('reads a directive only at a line start, a comment before it allowed, and starts segments at the first code', () => {
    // `#if 0` after a comment on its line is a directive: the first branch's brace is kept.
    const text = '  \n\t int a;\n/* c */ #if 0\nint f(void) {\n#else\nint g(void) {\n#endif\n  return 0;\n}\nint b; /* x */\n';
    expect(pieces(text)).toEqual(['int a;', 'int f(void) {\n#else\nint g(void) {\n#endif\n  return 0;\n}', 'int b;']);
    // After code on its line, `#` is an ordinary character: the `{` on the next line stays unmatched.
    expect(splitTopLevelSegments('int x = 1; #if A\nint f(void) {\n#else\nint f(int a) {\n#endif\n}\n').balanced).toBe(false);
  });

  it('returns no segments for a file of comments and directives', () => {
    expect(splitTopLevelSegments('/* nothing */\n#include <Python.h>\n#define X { \\\n  1 }\n')).toEqual({ segments: [], balanced: true });
  });
});

describe('segmentsContaining', () => {
  it('returns the segments that hold the offsets, merged and sorted', () => {
    const text = 'int a;\nint b;\nint c(void) { return 0; }\n';
    const split = splitTopLevelSegments(text);
    const inC = text.indexOf('return');
    const inA = text.indexOf('a;');
    const picked = segmentsContaining(split, [inC, inA, inC + 1]);
    expect(picked.map((s) => text.slice(s.start, s.end))).toEqual(['int a;', 'int c(void) { return 0; }']);
  });

  it('ignores offsets between segments', () => {
    const text = 'int a;\n\n/* gap */\nint b;\n';
    const split = splitTopLevelSegments(text);
    expect(segmentsContaining(split, [text.indexOf('gap')])).toEqual([]);
  });
});

describe('gapSpansHolding', () => {
  const spans = (text: string, names: string[]): string[] | undefined =>
    gapSpansHolding(
      text,
      splitTopLevelSegments(text),
      names.map((n) => text.indexOf(n)),
    )?.map((s) => text.slice(s.start, s.end));

  it('gives the comment or the macro definition (continuations included) holding each offset', () => {
    const text = [
      '#ifdef __cplusplus',
      'extern "C" {',
      '#endif',
      '/* uses strerror */',
      'int a;',
      '#define FAIL(x) log(x, \\',
      '    strerror(errno))',
      '#include <openssl/rand.h>',
      '// rand() is not used',
      'int b;',
      '#ifdef __cplusplus',
      '}',
      '#endif',
      '',
    ].join('\n');
    expect(spans(text, ['strerror */', 'strerror(errno)', 'rand.h', 'rand()'])).toEqual([
      '/* uses strerror */',
      '#define FAIL(x) log(x, \\\n    strerror(errno))\n',
      '#include <openssl/rand.h>\n',
      '// rand() is not used\n',
    ]);
  });

  it('gives up when an offset sits in another directive, such as a conditional', () => {
    const text = 'int a;\n#if defined(rand)\nint b;\n#endif\n';
    expect(spans(text, ['rand'])).toBeUndefined();
  });
});

describe('withGapSpans', () => {
  it('adds the #define line of an offset between segments to the segments that hold the others', () => {
    const text = 'int f(void) { return g(); }\n#define H(x) g(x)\nint k(void) { return 0; }\n#if g(1)\n#endif\n';
    const split = splitTopLevelSegments(text);
    const offsets = [text.indexOf('g()'), text.indexOf('g(x)'), text.indexOf('g(1)')];
    const spans = withGapSpans(text, split, segmentsContaining(split, offsets), offsets).map((s) => text.slice(s.start, s.end).trim());
    // The conditional's expression is not a gap item that parses alone: it adds nothing.
    expect(spans).toEqual(['int f(void) { return g(); }', '#define H(x) g(x)']);
  });
});
