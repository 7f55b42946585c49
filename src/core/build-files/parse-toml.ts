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
