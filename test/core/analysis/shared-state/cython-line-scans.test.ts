import { describe, expect, it } from 'vitest';
import { analyzeCythonSharedState } from '../../../../src/core/analysis/shared-state/analyze-cython.js';
import { bufferFills, collapseSubscripts, endsSignature, globalNames, linePrefixes, lineWrites, pointerFieldName } from '../../../../src/core/analysis/shared-state/cython-line-scans.js';
import { fuzzCount, seededRandom } from '../../../helpers/seeded-random.js';

/**
 * The Cython line readers against the patterns they replaced (issue 14, super-linear patterns).
 * The patterns stay here as references: on short lines they are fast, and each reader must give
 * what its pattern gave on every random line of the characters the pattern cares about.
 */
const SIGNATURE = /:\s*$|\)\s*(?:->\s*[\w.[\], ]+)?\s*(?:nogil|noexcept|except\s*[\w*?-]*|with\s+gil|\s)*:?\s*$|,\s*$/;
const FIELD = /^(cdef\s+(?:public\s+|readonly\s+)?)[\w.[\], ]+?\s*(\*+)\s*(\w+)\s*$/;
const BLOCK_FIELD = /^()(?!def\b|cdef\b|cpdef\b|property\b)[\w.[\], ]+?\s*(\*+)\s*(\w+)\s*$/;
const GLOBAL = /^global\s+([\w\s,]+)$/;
const WRITE = /(?<![\w.])([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)*)(\[[^\]]*\])?\s*(?:(=(?!=)|[-+*/%&|^]=|\/\/=|\*\*=)|\.(\w+)\s*\()|\bdel\s+([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)*)\[/g;
const OPEN_CALL = /([A-Za-z_]\w*)\s*\((?:[^()]|\([^()]*\))*$/;
const KEYWORD = /\b(if|elif|while|assert|return)\b/;

/** Random trimmed lines: `pieces` joined at random, as the analysis sees lines (trimmed at both ends). */
function lines(seed: number, pieces: string[], count: number, maxPieces = 10): string[] {
  const rand = seededRandom(seed);
  const out: string[] = [];
  const wanted = fuzzCount(count);
  while (out.length < wanted) {
    let line = '';
    const n = 1 + Math.floor(rand() * maxPieces);
    for (let i = 0; i < n; i++) line += pieces[Math.floor(rand() * pieces.length)] ?? '';
    const trimmed = line.trim();
    if (trimmed !== '') out.push(trimmed);
  }
  return out;
}

describe('Cython line readers give what the former patterns gave', () => {
  it('ends of signatures', () => {
    const pieces = [')', ' ', '  ', '\t', '->', 'int', 'nogil', 'noexcept', 'except', ' -1', '*', '?', 'with', 'gil', ':', ',', '[', ']', '.', 'x', 'def f(', '(', '-'];
    for (const line of lines(1, pieces, 40_000, 9)) expect(endsSignature(line), JSON.stringify(line)).toBe(SIGNATURE.test(line));
  });

  it('pointer attributes of a cdef class, at class level and in a cdef block', () => {
    const pieces = ['cdef', ' ', '  ', '\t', 'public', 'readonly', 'T', 'int', '*', '**', 'p', 'x_1', '[', ']', ',', '.', 'def', 'property', '(', '='];
    for (const line of lines(2, pieces, 40_000)) {
      expect(pointerFieldName(line, false), JSON.stringify(line)).toBe(FIELD.exec(line)?.[3]);
      expect(pointerFieldName(line, true), JSON.stringify(line)).toBe(BLOCK_FIELD.exec(line)?.[3]);
    }
  });

  it('global statements', () => {
    const pieces = ['global', ' ', '\t', 'a', 'b_2', ',', ' , ', '!', 'x'];
    for (const line of lines(3, pieces, 20_000)) {
      const g = GLOBAL.exec(line);
      expect(globalNames(line), JSON.stringify(line)).toEqual(g === null ? undefined : (g[1] ?? '').split(',').map((n) => n.trim()));
    }
  });

  it('writes, in-place mutations and del statements', () => {
    const pieces = ['a', 'self', 'del', 'delta', ' ', '\t', '.', '.b', '[', ']', '[i]', '=', '==', '+=', '//=', '**=', '/', '*', '.append', '(', ')', '1', 'x.y', ',', '!'];
    for (const line of lines(4, pieces, 40_000, 12)) {
      const expected = [...line.matchAll(WRITE)].map((m) => [m.index, m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]]);
      const actual = lineWrites(line).map((w) => [w.index, w.text, w.base, w.members, w.subscript, w.operator, w.method, w.delBase, w.delMembers]);
      expect(actual, JSON.stringify(line)).toEqual(expected);
    }
  });

  it('the innermost open call and a keyword before each point of a line', () => {
    const pieces = ['f', 'g1', '_h', '9', ' ', '\t', '(', ')', '((', '))', ',', 'if', 'return', 'elif', 'x.y', 'self'];
    for (const line of lines(5, pieces, 2_000, 12)) {
      const prefixes = linePrefixes(line);
      for (let end = 0; end <= line.length; end++) {
        const before = line.slice(0, end);
        expect(prefixes.openCall(end), JSON.stringify(before)).toBe(OPEN_CALL.exec(before)?.[1]);
        // The analysis asks only at the end of a word's gap (never inside a word), as here.
        if (!/\w/.test(line[end] ?? '') || !/\w/.test(line[end - 1] ?? '')) expect(prefixes.keywordBefore(end), JSON.stringify(before)).toBe(KEYWORD.test(before));
      }
    }
  });

  it('access paths with their subscripts collapsed', () => {
    const pieces = ['self', '.p', '[', ']', '[0]', 'x', ' '];
    for (const path of lines(6, pieces, 10_000)) expect(collapseSubscripts(path), JSON.stringify(path)).toBe(path.replace(/\[[^\]]*\]/g, '[…]'));
  });
});

describe('the Cython shared-state analysis reads hostile lines in one pass', () => {
  // Each 100,000 characters. With the former patterns: the signature's shared blanks were cubic
  // (2,000 blanks did not finish in 20 s), 24 `except` words took 5 s (exponential), a block
  // field of blanks 27 s, `global` and blanks 26 s, `a[` repeated 18 s, a long word before a
  // handed-off pointer and unclosed `self.p[` did not finish in 30 s.
  const RUN = 100_000;
  const cls = 'cdef class C:\n    cdef T *p\n';
  const cases: Array<[string, string, (r: ReturnType<typeof analyzeCythonSharedState>) => void]> = [
    ['a signature tail of blanks', `_c = {}\ndef f()${' '.repeat(RUN)}x\ndef g(): _c[1] = 2\n`, (r) => expect(r.writes).toEqual([])],
    ['a signature tail of except words', `_c = {}\ndef f()${'except'.repeat(RUN / 6)}!\ndef g():\n    _c[1] = 2\n`, (r) => expect(r.writes.map((w) => w.function)).toEqual(['g'])],
    ['a return annotation of blanks', `_c = {}\ndef f() -> ${' '.repeat(RUN)}!\ndef g():\n    _c[1] = 2\n`, (r) => expect(r.writes.map((w) => w.function)).toEqual(['g'])],
    ['a field line of blanks', `cdef class C:\n    cdef ${' '.repeat(RUN)}x\n    cdef T *p\n    def m(self):\n        self.p[0].x = 1\n`, (r) => expect(r.fields.map((f) => f.path)).toEqual(['self.p[…].x'])],
    ['a cdef block line of blanks', `cdef class C:\n    cdef:\n        a${' '.repeat(RUN)}x\n        T *p\n    def m(self):\n        self.p[0].x = 1\n`, (r) => expect(r.fields.map((f) => f.path)).toEqual(['self.p[…].x'])],
    ['a global statement of blanks', `cdef int g = 0\ndef f():\n    global${' '.repeat(RUN)}!\n    global g\n    g += 1\n`, (r) => expect(r.writes.map((w) => w.kind)).toEqual(['counter'])],
    ['subscripts never closed', `_c = {}\ndef f():\n    ${'a['.repeat(RUN / 2)}\n    _c[1] = 2\n`, (r) => expect(r.writes.map((w) => w.path)).toEqual(['_c[…]'])],
    ['a long word before a handed-off pointer', `${cls}    def m(self):\n        ${'a'.repeat(RUN)} self.p)\n        g(self.p)\n        self.p[0].x = 1\n`, (r) => expect(r.fields.map((f) => [f.path, f.callee])).toEqual([['self.p', 'g']])],
    ['many handed-off pointers', `${cls}    def m(self):\n        ${'g(self.p, '.repeat(RUN / 10)}\n        self.p[0].x = 1\n`, (r) => expect(r.fields.map((f) => f.callee)).toEqual(['g'])],
    ['pointer subscripts never closed', `${cls}    def m(self):\n        ${'self.p['.repeat(RUN / 7)}\n        self.p[0].x = 1\n`, (r) => expect(r.fields.map((f) => f.path)).toEqual(['self.p[…].x'])],
    ['a long with line over many lines', `_c = {}\ndef f():\n    with ${'a'.repeat(RUN)}:\n${'        x = 1\n'.repeat(RUN / 16)}        _c[1] = 2\n`, (r) => expect(r.writes.map((w) => w.path)).toEqual(['_c[…]'])],
  ];
  it.each(cases)('reads %s', (_name, text, check) => {
    check(analyzeCythonSharedState(text));
  });
});

describe('bufferFills', () => {
  const fills = (code: string): Array<[string, string, string]> => bufferFills(code).map((w) => [w.filledBy ?? '', w.base ?? '', w.members ?? '']);
  it('reads the destination of a C call that fills a buffer, past a cast and an `&`', () => {
    expect(fills('memcpy(swapper.data.as_voidptr, b, 8)')).toEqual([['memcpy', 'swapper', '.data.as_voidptr']]);
    expect(fills('memset(&table[0], 0, n)')).toEqual([['memset', 'table', '']]);
    expect(fills('strcpy(<char *> name_buf, s); memmove(dst, src, n)')).toEqual([['strcpy', 'name_buf', ''], ['memmove', 'dst', '']]);
  });
  it('gives the offset of the destination name', () => {
    const code = 'x = memcpy( <void *>& buf . data, b, 8)';
    const [w] = bufferFills(code);
    expect(code.slice(w?.index ?? 0, (w?.index ?? 0) + 3)).toBe('buf');
    expect(w?.members).toBe('.data');
  });
  it('leaves sources, other calls and method calls alone', () => {
    expect(fills('memcmp(a, b, n)')).toEqual([]);
    expect(fills('obj.memcpy(a, b, n)')).toEqual([]);
    expect(fills('strlen(buf)')).toEqual([]);
  });
});

describe('Cython module objects changed in place', () => {
  it('reports a scratch array filled by memcpy and byte-swapped, at medium, and not its init-only sibling', () => {
    const text = [
      "cdef array.array swapper = array.array('Q', [0])",
      "cdef array.array _init = array.array('Q', [0])",
      'cdef _fill():',
      '    memset(_init.data.as_voidptr, 0, 8)',
      '_fill()',
      'cdef class R:',
      '    def read(self, const char *b):',
      '        memcpy(swapper.data.as_voidptr, b, 8)',
      '        swapper.byteswap()',
      '        return swapper[0]',
      '',
    ].join('\n');
    const { writes } = analyzeCythonSharedState(text);
    expect(writes.map((w) => [w.variable.name, w.function, w.path, w.confidence])).toEqual([['swapper', 'read', 'swapper.data.as_voidptr', 'medium']]);
  });
  it('keeps the writes of a cdef function nothing in the file calls at low, and none of one only module code calls', () => {
    const text = ['cdef void *codec_map[16]', 'cdef dict EXTRA = {}', 'cdef register(int oid, object c):', '    codec_map[oid] = <void *>c', 'cdef setup():', '    EXTRA[1] = 2', 'setup()', 'def noop():', '    pass', ''].join('\n');
    const { writes } = analyzeCythonSharedState(text);
    expect(writes.map((w) => [w.variable.name, w.function, w.confidence])).toEqual([['codec_map', 'register', 'low']]);
  });
});
