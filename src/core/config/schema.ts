import { z } from 'zod';
import { unknownSelectors } from '../engine/select-rules.js';
import { ruleTable } from '../rules/rule-table.js';
import { closestMatch } from './closest-match.js';
import { defaultConfig, type ConfigProblem, type ResolvedConfig } from './defaults.js';

// Case is ignored (`ft001` is `FT001`); whether the id exists is checked after parsing, so the
// message can name the closest rule.
const ruleSelector = z.string().regex(/^([Aa][Ll][Ll]|[Ff][Tt]\d{0,3})$/, 'expected a rule id such as FT001, a prefix such as FT0, or ALL');

/**
 * ftbot's configuration, read from `[tool.ftbot]` in `pyproject.toml` (CLI and app) and from
 * `.github/ftbot.yml` (app). Keys are kebab-case, as in ruff's configuration.
 */
export const configSchema = z
  .object({
    select: z.array(ruleSelector).describe('Rule ids or prefixes to enable; ALL enables every rule, preview ones included.').optional(),
    'extend-select': z.array(ruleSelector).describe('Rule ids or prefixes added to select (or to the default set).').optional(),
    ignore: z.array(ruleSelector).describe('Rule ids or prefixes to disable; wins over select.').optional(),
    'per-file-ignores': z.record(z.string().min(1), z.array(ruleSelector)).describe('Rules to disable in some files: glob (gitignore syntax, relative to this file) → ids.').optional(),
    preview: z.boolean().describe('Also enable preview rules that select matches.').optional(),
    exclude: z.array(z.string()).describe('Glob patterns (gitignore syntax) of paths not to scan, on top of .gitignore.').optional(),
    'extend-exclude': z.array(z.string()).describe('More paths not to scan, added to exclude.').optional(),
    'min-severity': z.enum(['info', 'warning', 'error']).describe('Findings below this severity are not reported.').optional(),
    'min-confidence': z.enum(['low', 'medium', 'high']).describe('Findings below this confidence are not reported (e.g. medium for a quiet CI gate).').optional(),
    'max-file-size': z.number().int().positive().max(50_000_000).describe('Files larger than this many bytes are skipped with a diagnostic.').optional(),
    'target-pythons': z.array(z.enum(['3.13t', '3.14t', '3.15t'])).describe('Free-threaded Pythons the project targets, for advice and the wheel matrix.').optional(),
    'pypi-name': z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/).describe('The project\'s name on PyPI, when it differs from [project] name.').optional(),
    label: z.string().min(1).max(50).describe('GitHub App: the label that turns ftbot on for an issue or pull request.').optional(),
    'max-inline-comments': z.number().int().min(0).max(100).describe('GitHub App: at most this many inline review comments; the rest go into the summary.').optional(),
    'fail-on': z.enum(['none', 'error', 'warning']).describe('GitHub App: the check run fails when the pull request adds a finding at or above this severity; none (the default) gives neutral with findings, success without.').optional(),
    llm: z
      .object({
        enabled: z.boolean().optional(),
        model: z.string().min(1).max(100).optional(),
      })
      .strict()
      .describe('Drafting with an LLM (the app needs an API key as well).')
      .optional(),
  })
  .strict()
  .describe("ftbot's settings: [tool.ftbot] in pyproject.toml, a .ftbot.toml, or .github/ftbot.yml");

export type FtbotConfig = z.infer<typeof configSchema>;

export { defaultConfig, type ConfigProblem, type ResolvedConfig } from './defaults.js';

/**
 * Validates raw configuration objects and merges them over the defaults, later sources winning.
 * Invalid sources are reported as problems (key path and message) and skipped: the run goes on.
 *
 * @example
 *   resolveConfig([{ source: 'pyproject.toml', value: { select: ['FT0'] } }])
 *   // → { config: { …defaults, select: ['FT0'] }, problems: [] }
 */
export function resolveConfig(sources: Array<{ source: string; value: unknown }>): {
  config: ResolvedConfig;
  problems: ConfigProblem[];
} {
  const config: ResolvedConfig = structuredClone(defaultConfig);
  const problems: ConfigProblem[] = [];
  for (const { source, value } of sources) {
    if (value === undefined || value === null) continue;
    const parsed = configSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 10)) problems.push(describeIssue(source, issue));
      continue;
    }
    const c = parsed.data;
    const unknown = selectorProblems(source, c);
    if (unknown.length > 0) {
      problems.push(...unknown);
      continue;
    }
    const upper = (ids: readonly string[]): string[] => ids.map((id) => id.toUpperCase());
    if (c.select) config.select = upper(c.select);
    if (c['extend-select']) config.extendSelect = [...config.extendSelect, ...upper(c['extend-select'])];
    if (c.ignore) config.ignore = [...config.ignore, ...upper(c.ignore)];
    if (c['per-file-ignores']) {
      for (const [pattern, ids] of Object.entries(c['per-file-ignores'])) config.perFileIgnores.push({ pattern, ruleIds: upper(ids) });
    }
    if (c.preview !== undefined) config.preview = c.preview;
    if (c.exclude) config.exclude = [...config.exclude, ...c.exclude];
    if (c['extend-exclude']) config.exclude = [...config.exclude, ...c['extend-exclude']];
    if (c['min-severity']) config.minSeverity = c['min-severity'];
    if (c['min-confidence']) config.minConfidence = c['min-confidence'];
    if (c['max-file-size']) config.maxFileSize = c['max-file-size'];
    if (c['target-pythons']) config.targetPythons = c['target-pythons'];
    if (c['pypi-name']) config.pypiName = c['pypi-name'];
    if (c.label) config.label = c.label;
    if (c['max-inline-comments'] !== undefined) config.maxInlineComments = c['max-inline-comments'];
    if (c['fail-on']) config.failOn = c['fail-on'];
    if (c.llm?.enabled !== undefined) config.llm.enabled = c.llm.enabled;
    if (c.llm?.model) config.llm.model = c.llm.model;
  }
  return { config, problems };
}

/** Every key `configSchema` accepts at the top level, for "did you mean" hints. */
export const configKeys: readonly string[] = Object.keys(configSchema.shape);

function describeIssue(source: string, issue: z.core.$ZodIssue): ConfigProblem {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    // The unknown key itself is the path, so the position finder can point at it.
    const key = issue.keys[0] ?? '';
    const known = path.length === 0 ? configKeys : path[0] === 'llm' ? ['enabled', 'model'] : [];
    const near = closestMatch(key, known);
    const hint = near === undefined ? '' : ` (did you mean '${near}'?)`;
    return { source, path: [...path, key].join('.'), message: `unknown key '${key}'${hint}` };
  }
  return { source, path: path.join('.') || '(root)', message: issue.message };
}

function selectorProblems(source: string, c: FtbotConfig): ConfigProblem[] {
  const lists: Array<[string, readonly string[] | undefined]> = [
    ['select', c.select],
    ['extend-select', c['extend-select']],
    ['ignore', c.ignore],
    ...Object.entries(c['per-file-ignores'] ?? {}).map(([glob, ids]): [string, string[]] => [`per-file-ignores.${glob}`, ids]),
  ];
  const problems: ConfigProblem[] = [];
  for (const [key, list] of lists) {
    for (const { selector, message } of unknownSelectors(list ?? [], ruleTable)) {
      problems.push({ source, path: `${key}.${(list ?? []).indexOf(selector)}`, message });
    }
  }
  return problems;
}
