import { parse } from 'smol-toml';

/** Why a TOML text did not parse: the parser's first message line and, when it gives one, where. */
export type TomlProblem = { message: string; line?: number; column?: number };

/** A parsed TOML document (its top-level table), or the problem. */
export type ParsedToml = { ok: true; doc: Record<string, unknown> } | { ok: false; problem: TomlProblem };

/**
 * Parses TOML text. The one place ftbot calls the TOML parser: build files (`pyproject.toml`,
 * `Cargo.toml`) go through `readBuildFile` / `readPyproject`, configuration files through this.
 * Never throws for bad input.
 *
 * @example
 *   parseToml('[project]\nname = "x"\n')   // → { ok: true, doc: { project: { name: 'x' } } }
 *   parseToml('[project\n')                // → { ok: false, problem: { message: 'Invalid TOML document: …', line: 1, column: … } }
 */
export function parseToml(text: string): ParsedToml {
  try {
    return { ok: true, doc: parse(text) };
  } catch (error) {
    const problem: TomlProblem = { message: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error) };
    const at = error as { line?: unknown; column?: unknown };
    if (typeof at.line === 'number') problem.line = at.line;
    if (typeof at.column === 'number') problem.column = at.column;
    return { ok: false, problem };
  }
}

/** A table of a parsed TOML document (or any plain object), else undefined: arrays and scalars are not tables. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * A TOML table found by its header line (`header`, a multiline pattern such as `/^\[features\][ \t]*$/m`)
 * and, inside it (up to the next `[` header), the first line that sets `key`: the header's offset,
 * and the offset of the key after its indentation (undefined when the table does not set it).
 * Read from the text, not the parse, so the offsets are where the edit goes.
 */
export function tomlTableKey(text: string, header: RegExp, key: string): { table: number; key?: number } | undefined {
  const found = header.exec(text);
  if (found === null) return undefined;
  const bodyStart = found.index + found[0].length;
  const next = /^[ \t]*\[/m.exec(text.slice(bodyStart));
  const body = text.slice(bodyStart, next === null ? text.length : bodyStart + next.index);
  const line = new RegExp(`^([ \\t]*)${key}[ \\t]*=`, 'm').exec(body);
  return line === null ? { table: found.index } : { table: found.index, key: bodyStart + line.index + (line[1] ?? '').length };
}
