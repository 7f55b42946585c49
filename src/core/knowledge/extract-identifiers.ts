/**
 * Finds the code names in a piece of text: C-API functions and macros, rule ids, environment
 * variables, command-line options, dotted config keys and file names. These are the words a
 * maintainer copies from their code or build log, so a search that contains one should land on the
 * section that names it.
 *
 * Example: "Is `PyDict_Next` safe? FT003 fired, and CIBW_ENABLE=cpython-freethreading --disable-gil"
 * → ["PyDict_Next", "FT003", "CIBW_ENABLE", "cpython-freethreading", "--disable-gil"]
 */

/**
 * One alternative per kind of name, tried left to right at each position:
 * 1. `--disable-gil`, `--parallel-threads`: command-line options (kept with their dashes)
 * 2. `tool.cibuildwheel.enable`, `sys._is_gil_enabled`, `pyproject.toml`: dotted names; every part
 *    has two or more characters so prose like "e.g" does not count
 * 3. `Py_BEGIN_CRITICAL_SECTION`, `PyDict_Next`, `gil_used`: words joined by underscores
 * 4. `cpython-freethreading`, `pytest-run-parallel`: kebab-case names with two or more dashes, or
 *    one dash and a digit (`manylinux-x86_64` falls under 3)
 * 5. `PyMutex`, `GILOnceCell`, `PyO3`, `abi3t`, `cp313t`, `pybind11`: camel case or letters
 *    mixed with digits
 */
const IDENTIFIER =
  /--[a-z][a-z0-9]*(?:-[a-z0-9]+)*|\b[A-Za-z_][A-Za-z0-9_]+(?:\.[A-Za-z_][A-Za-z0-9_]+)+\b|\b_*[A-Za-z][A-Za-z0-9]*(?:_+[A-Za-z0-9]+)+\b|\b[a-z][a-z0-9]*(?:-[a-z0-9]+){2,}\b|\b[a-z]+[0-9]*-[a-z0-9]*[0-9][a-z0-9]*\b|\b[A-Za-z]*(?:[a-z][A-Z]|[A-Za-z][0-9]|[0-9][A-Za-z])[A-Za-z0-9]*\b/g;

const RULE_ID = /^ft\d{3}$/i;

/**
 * Returns the identifier-like tokens of `text`, de-duplicated, in order of first appearance.
 * Rule ids are upper-cased (`ft001` → `FT001`); everything else keeps its spelling.
 *
 * @param text
 *   Prose, inline code or a code block.
 */
export function extractIdentifiers(text: string): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const match of text.matchAll(IDENTIFIER)) {
    let token = match[0];
    if (RULE_ID.test(token)) token = token.toUpperCase();
    // A trailing dot or underscore is punctuation of the sentence, not part of the name.
    token = token.replace(/[._]+$/, '');
    if (token.length < 3 || seen.has(token)) continue;
    // Hex numbers, versions and sizes (`0x030D00A4`, `3.13`, `64bit`) are not names.
    if (/^(?:0x[0-9a-f]+|\d[\d._]*[a-z]?|\d+[a-z]{1,3})$/i.test(token)) continue;
    seen.add(token);
    result.push(token);
  }
  return result;
}
