/**
 * Finds where a configuration key path is written in a TOML file, for error messages with a line
 * and column. Plain line scanning, no parser and no regex built from the file: it looks for the
 * section header (`[tool.ftbot]`, or the top of a `.ftbot.toml`), then for a line that assigns
 * the last named key (`min-confidence = …`, `"tests/**" = […]`) or opens its sub-table
 * (`[tool.ftbot.llm]`). Falls back to the section header, then to line 1.
 *
 * @example
 *   locateTomlKey('[project]\nname = "x"\n[tool.ftbot]\nselect = ["FT999"]\n', 'tool.ftbot', ['select', '0'])
 *   // → { line: 4, column: 1 }
 */
export function locateTomlKey(text: string, section: string | undefined, path: readonly string[]): { line: number; column: number } {
  const lines = text.split('\n');
  const keys = path.filter((p) => !/^\d+$/.test(p));
  const inSection = (header: string): boolean => section === undefined || header === section || header.startsWith(`${section}.`);
  let current: string | undefined;
  let sectionLine: number | undefined = section === undefined ? 1 : undefined;
  let found: { line: number; column: number } | undefined;
  for (let i = 0; i < lines.length && found === undefined; i++) {
    const trimmed = (lines[i] ?? '').trim();
    if (trimmed.startsWith('[')) {
      const close = trimmed.indexOf(']');
      current = trimmed.slice(trimmed.startsWith('[[') ? 2 : 1, close < 0 ? trimmed.length : close).trim();
      if (section !== undefined && current === section) sectionLine ??= i + 1;
      const wanted = [section, ...keys].filter((k) => k !== undefined).join('.');
      if (keys.length > 0 && current === wanted) found = { line: i + 1, column: 1 };
      continue;
    }
    if (current !== undefined ? !inSection(current) : section !== undefined) continue;
    const last = keys[keys.length - 1];
    if (last === undefined) continue;
    const key = keyOf(trimmed);
    // A dotted key (`llm.model = …`) counts by its last part.
    if (key !== undefined && (key === last || key.endsWith(`.${last}`))) found = { line: i + 1, column: (lines[i] ?? '').indexOf(trimmed) + 1 };
  }
  return found ?? { line: sectionLine ?? 1, column: 1 };
}

/** The key a TOML line assigns (`a-b = 1` → `a-b`; `"x y" = 1` → `x y`), or undefined. */
function keyOf(line: string): string | undefined {
  const eq = line.indexOf('=');
  if (eq <= 0 || line.startsWith('#')) return undefined;
  const raw = line.slice(0, eq).trim();
  const quoted = raw.length >= 2 && (raw.startsWith('"') || raw.startsWith("'"));
  return quoted ? raw.slice(1, -1) : raw;
}
