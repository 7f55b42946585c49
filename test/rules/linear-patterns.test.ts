import { beforeAll, describe, expect, it } from 'vitest';
import { scanFiles, type Grammars } from '../../src/core/engine/scan-files.js';
import { isCythonDeclaration, wordBefore } from '../../src/core/rules/borrowed-call.js';
import { rules } from '../../src/core/rules/index.js';
import { readDependencies } from '../../src/core/deps/read-dependencies.js';
import { askingSentences } from '../../src/core/knowledge/understand-query.js';
import { fingerprintMarker, readFingerprintMarkers } from '../../src/core/review/markers.js';
import { sanitizeOutput } from '../../src/core/safety/sanitize-output.js';
import { loadGrammars } from '../../src/io/load-grammars.js';
import { createMarkerKey, LOCAL_MARKER_SECRET } from '../../src/io/marker-key.js';

/**
 * Repository text shaped against the patterns FT001, FT031 and FT032 used to run (issue 14,
 * super-linear rules): each input is a long run a backtracking engine splits in many ways. The
 * rewritten patterns are linear, so these finish at once; with the old ones each input took from
 * minutes (FT031's table header: cubic, 217 s for 5,000 blanks) to hours. The assertions are on
 * the findings: a rule must still find what sits after the hostile line.
 */
const RUN = 100_000;
const thread = createMarkerKey(LOCAL_MARKER_SECRET).forThread('octo/spam#12');
let grammars: Grammars;
beforeAll(async () => {
  grammars = await loadGrammars();
});

function findings(ruleId: string, path: string, text: string): Array<{ ruleId: string; line: number }> {
  const selected = rules.filter((r) => r.meta.id === ruleId);
  const result = scanFiles({ files: [{ path, text }], grammars, rules: selected, config: { maxFileSize: 5_000_000, minSeverity: 'info' } });
  return result.findings.map((f) => ({ ruleId: f.ruleId, line: f.line }));
}

describe('FT031 reads table headers in one pass', () => {
  it('skips a bracket followed by a long run of blanks and still finds the skip selector after it', () => {
    const text = `[project]\nname = "m"\n[${' '.repeat(RUN)}x\n[ tool.cibuildwheel ]\nskip = "cp314t-*"\n[${'\t '.repeat(RUN / 2)}\n`;
    expect(findings('FT031', 'pyproject.toml', text)).toEqual([{ ruleId: 'FT031', line: 5 }]);
  });

  it('still reads `[[tool.cibuildwheel.overrides]]` and leaves other tables alone', () => {
    const text = `[[tool.cibuildwheel.overrides]]\nskip = "cp314t-*"\n[tool.other]\nskip = "cp314t-*"\n`;
    expect(findings('FT031', 'pyproject.toml', text)).toEqual([{ ruleId: 'FT031', line: 2 }]);
  });
});

describe('FT032 reads option lines in one pass', () => {
  it('skips lines of blanks, of dashes and of a long `enable` value, and finds the option after them', () => {
    const text = [
      '[tool.cibuildwheel]',
      `${' '.repeat(RUN)}x`,
      `${' - '.repeat(RUN / 3)}x`,
      `${'\t'.repeat(RUN)}enable = ${'"cpython-prerelease" '.repeat(RUN / 20)}`,
      'enable = ["cpython-freethreading"]',
      '',
    ].join('\n');
    expect(findings('FT032', 'pyproject.toml', text)).toEqual([{ ruleId: 'FT032', line: 5 }]);
  });

  it('still reads a YAML list item and a key after a dash', () => {
    const text = 'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: pypa/cibuildwheel@v3.2.0\n        env:\n          CIBW_PRERELEASE_PYTHONS: "1"\n';
    expect(findings('FT032', '.github/workflows/wheels.yml', text)).toEqual([{ ruleId: 'FT032', line: 8 }]);
  });
});

describe('FT001 (and every borrowed-reference rule) reads the word before a Cython call backwards', () => {
  it('finds the word before a call past blanks and one run of stars', () => {
    expect(wordBefore('    PyObject *')).toBe('PyObject');
    expect(wordBefore('return ')).toBe('return');
    expect(wordBefore('x + ')).toBeUndefined();
    expect(wordBefore('a * * ')).toBeUndefined();
    expect(wordBefore('12abc ')).toBe('abc');
    expect(wordBefore('123 ')).toBeUndefined();
    expect(wordBefore('')).toBeUndefined();
  });

  it('reads a 100,000-character identifier ending in another character in one pass', () => {
    const line = `${'a'.repeat(RUN)}!`;
    expect(wordBefore(line)).toBeUndefined();
    expect(isCythonDeclaration(`${line}PyDict_GetItem(d, k)\n`, line.length)).toBe(false);
    const typed = `    ${'T'.repeat(RUN)} *`;
    expect(isCythonDeclaration(`${typed}PyDict_GetItem(object d, object k)\n`, typed.length)).toBe(true);
  });

  it('scans a Cython file with such a line and still reports the call on the next line', () => {
    const text = `def f(d, k):\n    ${'a'.repeat(RUN)}!PyDict_GetItem(d, k)\n    v = PyDict_GetItem(d, k)\n    return <object>v\n`;
    expect(findings('FT001', 'src/m.pyx', text).map((f) => f.line)).toContain(3);
  });
});

describe('helpers that read repository and user text in one pass', () => {
  const blanks = ' '.repeat(RUN);

  it('reads a setup.cfg entry after a line of 100,000 blanks', () => {
    const text = `[options]\n${blanks}x\n${blanks}= y\ninstall_requires =\n    numpy>=1.26\n`;
    expect(readDependencies({ files: [{ path: 'setup.cfg', text }] }).dependencies.map((d) => d.requirement.name)).toEqual(['numpy']);
  });

  it('reads fingerprint markers below a comment line of blanks that does not end the body', () => {
    const marker = fingerprintMarker('0a1b', thread);
    expect(readFingerprintMarkers(`${blanks}x\n${marker}${'\t'.repeat(RUN)}\n${marker}\n${blanks}`, thread)).toEqual(['0a1b', '0a1b']);
  });

  it('finds the questions of a long question without terminators', () => {
    expect(askingSentences(`${'why '.repeat(RUN / 4)}is it. Is it borrowed? and ok`)).toBe('is it borrowed?');
    expect(askingSentences('a'.repeat(RUN))).toBe('');
  });

  it('defangs a URL that ends in 100,000 punctuation characters', () => {
    expect(sanitizeOutput(`see https://evil.example/x${'?'.repeat(RUN)}]`)).toContain('evil[.]example/x');
  });

  it('reads the element type of a cast with a long run of blanks before its star (FT020)', () => {
    const text = `#include <Python.h>\nstatic void f(Py_ssize_t n) {\n    char${' '.repeat(RUN)}*buf = (char${' '.repeat(RUN)}*)PyObject_Malloc(n);\n    PyObject **items = (PyObject **)PyObject_Malloc(n);\n}\n`;
    // The `char` buffer is reported; the array of object pointers is not.
    expect(findings('FT020', 'src/m.c', text)).toEqual([{ ruleId: 'FT020', line: 3 }]);
  });
});

describe('names in long identifiers are read in one pass', () => {
  it('finds the f2py step after a meson command list holding one very long word', async () => {
    const { mesonF2pySteps } = await import('../../src/core/build-files/f2py-steps.js');
    const text = `custom_target('a', command: [${'w'.repeat(RUN)}])\ncustom_target('b', command: [py, my_F2PY_wrap, '@INPUT@'])\n`;
    expect(mesonF2pySteps(text).map((s) => s.via)).toEqual(['my_F2PY_wrap']);
  });

  it('reads a function whose return and parameter types are very long identifiers', async () => {
    const { cFileModel } = await import('../../src/core/analysis/shared-state/c-model.js');
    const type = `T${'x'.repeat(RUN)}`;
    const model = cFileModel(`static int counter;\nstatic ${type} *bump(const ${type} *self, int table [4] [8]) { counter++; return 0; }\n`);
    expect(model.byName.get('bump')?.params).toEqual(['self', 'table']);
  });
});
