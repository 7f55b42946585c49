import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { resolveConfig, type ConfigProblem, type ResolvedConfig } from '../core/config/schema.js';

/**
 * Reads ftbot's configuration for a directory: `[tool.ftbot]` in `pyproject.toml`, or the file
 * named by `--config` (a `pyproject.toml`, or a TOML file whose top level holds the settings).
 * Problems (unreadable file, invalid TOML, unknown keys, wrong types) are returned, not thrown.
 */
export function loadProjectConfig(params: { cwd: string; configPath?: string }): {
  config: ResolvedConfig;
  problems: ConfigProblem[];
  source: string | undefined;
} {
  const explicit = params.configPath !== undefined;
  const path = resolve(params.cwd, params.configPath ?? 'pyproject.toml');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    const problems = explicit ? [{ source: params.configPath ?? path, path: '(file)', message: 'cannot read the configuration file' }] : [];
    return { ...resolveConfig([]), problems, source: undefined };
  }
  const source = params.configPath ?? 'pyproject.toml';
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? 'invalid TOML') : 'invalid TOML';
    return { ...resolveConfig([]), problems: [{ source, path: '(file)', message }], source };
  }
  const tool = (data.tool as Record<string, unknown> | undefined)?.ftbot;
  const value = path.endsWith('pyproject.toml') || tool !== undefined ? tool : data;
  const { config, problems } = resolveConfig([{ source, value }]);
  return { config, problems, source };
}
