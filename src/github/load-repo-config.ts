import type { Context } from 'probot';
import { readPyproject } from '../core/build-files/pyproject.js';
import { resolveConfig, type ConfigProblem, type ResolvedConfig } from '../core/config/schema.js';
import { readRepoFile } from './read-repo-file.js';

/**
 * Reads ftbot's settings from the default branch only (a pull request cannot change them):
 * `[tool.ftbot]` in `pyproject.toml`, then `.github/ftbot.yml` through Probot's `context.config`
 * (which follows `_extends` and falls back to the owner's `.github` repository). The YAML file
 * wins. Problems are returned with the file and key; the run goes on with the defaults.
 * `projectName` is `pyproject.toml`'s `[project] name`, for the wheel check.
 */
export async function loadRepoConfig(
  context: Context,
  repo: { owner: string; repo: string },
): Promise<{ config: ResolvedConfig; problems: ConfigProblem[]; projectName?: string | undefined }> {
  const sources: Array<{ source: string; value: unknown }> = [];
  const problems: ConfigProblem[] = [];
  const pyproject = await readRepoFile(context, { ...repo, path: 'pyproject.toml' });
  let projectName: string | undefined;
  if (pyproject !== undefined) {
    // Read once: `[project] name` and `[tool.ftbot]` come from the same facts.
    const facts = readPyproject(pyproject);
    projectName = facts.name;
    if (facts.error === undefined) sources.push({ source: 'pyproject.toml', value: facts.ftbot });
    else problems.push({ source: 'pyproject.toml', path: '(file)', message: facts.error.message.trim() || 'invalid TOML' });
  }
  try {
    const yml = await context.config<Record<string, unknown>>('ftbot.yml');
    if (yml !== null) {
      // Probot keeps `_extends` out of the merged result only sometimes; it is not a setting.
      const { _extends: _ignored, ...value } = yml;
      sources.push({ source: '.github/ftbot.yml', value });
    }
  } catch (error) {
    problems.push({ source: '.github/ftbot.yml', path: '(file)', message: firstLine(error, 'cannot read the file') });
  }
  const resolved = resolveConfig(sources);
  return { config: resolved.config, problems: [...problems, ...resolved.problems], projectName };
}

function firstLine(error: unknown, fallback: string): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.trim() || fallback;
}
