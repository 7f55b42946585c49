/** One `key =` entry of an INI file (`setup.cfg`, `tox.ini`): its span and its value's lines. */
export type IniValue = {
  /** Offset of the key's line. */
  start: number;
  /** Offset just past the value's last line. */
  end: number;
  /** The rest of the key's line after `=`, untrimmed. */
  first: string;
  /** The continuation lines, untrimmed, without blank and comment lines. */
  more: string[];
};

/**
 * The first `key =` line in `[section]` whose line matches `key`, with its continuation lines:
 * indented or blank lines after it, comment lines skipped. A line at column 0 ends the value; with
 * `commentsContinue`, a `#` comment at column 0 does not (tox reads values that way).
 *
 * @example
 *   iniValue('[tox]\nenvlist =\n  py313\n  py314\n', { section: 'tox', key: /^envlist[ \t]*=/ })
 *   // → { start: 6, end: 31, first: '', more: ['  py313', '  py314'] }
 */
export function iniValue(text: string, params: { section: string; key: RegExp; maxLines?: number; commentsContinue?: boolean }): IniValue | undefined {
  const { section: wanted, key, maxLines = Number.POSITIVE_INFINITY, commentsContinue = false } = params;
  const lines = text.split('\n');
  let section = '';
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const lineStart = offset;
    offset += line.length + 1;
    const header = /^\[([^\]]*)\]/.exec(line);
    if (header !== null) section = (header[1] ?? '').trim();
    if (section !== wanted || !key.test(line)) continue;
    const more: string[] = [];
    let end = lineStart + line.length;
    let next = offset;
    for (let j = i + 1; j < lines.length && j <= i + maxLines; j++) {
      const candidate = lines[j] ?? '';
      const blank = candidate.trim() === '';
      if (!blank && !/^[ \t]/.test(candidate) && !(commentsContinue && candidate.startsWith('#'))) break;
      if (!blank && !candidate.trimStart().startsWith('#')) {
        more.push(candidate);
        end = next + candidate.length;
      }
      next += candidate.length + 1;
    }
    return { start: lineStart, end, first: line.slice(line.indexOf('=') + 1), more };
  }
  return undefined;
}
