import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { defaultConfig, type ConfigProblem, type ResolvedConfig } from '../core/config/defaults.js';

/**
 * Reads ftbot's configuration for a directory: `[tool.ftbot]` in `pyproject.toml`, or the file
 * named by `--config` (a `pyproject.toml`, or a TOML file whose top level holds the settings).
 * Problems (unreadable file, invalid TOML, unknown keys, wrong types) are returned, not thrown.
 * The schema validator is loaded only when there is something to validate.
 */
export async function loadProjectConfig(params: { cwd: string; configPath?: string }): Promise<{
  config: ResolvedConfig;
  problems: ConfigProblem[];
  source: string | undefined;
}> {
  const defaults = (): ResolvedConfig => structuredClone(defaultConfig);
  const explicit = params.configPath !== undefined;
  const path = resolve(params.cwd, params.configPath ?? 'pyproject.toml');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    const problems = explicit ? [{ source: params.configPath ?? path, path: '(file)', message: 'cannot read the configuration file' }] : [];
    return { config: defaults(), problems, source: undefined };
  }
  const source = params.configPath ?? 'pyproject.toml';
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? 'invalid TOML') : 'invalid TOML';
    return { config: defaults(), problems: [{ source, path: '(file)', message }], source };
  }
  const tool = (data.tool as Record<string, unknown> | undefined)?.ftbot;
  const value = path.endsWith('pyproject.toml') || tool !== undefined ? tool : data;
  if (value === undefined) return { config: defaults(), problems: [], source };
  const { resolveConfig } = await import('../core/config/schema.js');
  const { config, problems } = resolveConfig([{ source, value }]);
  return { config, problems, source };
}
