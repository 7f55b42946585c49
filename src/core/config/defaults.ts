/**
 * ftbot's settings after defaults are applied, and the defaults themselves. Kept apart from the
 * zod schema (`schema.ts`) so a run without a configuration never loads the validator: importing
 * zod costs about 140 ms of a CLI start-up.
 */

/** Settings after defaults are applied. */
export type ResolvedConfig = {
  select: string[];
  /** Added to `select` (ruff's `extend-select`). */
  extendSelect: string[];
  ignore: string[];
  /** Rules ignored in files matching a glob (gitignore syntax, relative to the config's directory). */
  perFileIgnores: Array<{ pattern: string; ruleIds: string[] }>;
  preview: boolean;
  exclude: string[];
  minSeverity: 'info' | 'warning' | 'error';
  /** Findings below this confidence are not reported (`low` reports everything). */
  minConfidence: 'low' | 'medium' | 'high';
  maxFileSize: number;
  targetPythons: Array<'3.13t' | '3.14t' | '3.15t'>;
  pypiName: string | undefined;
  label: string;
  maxInlineComments: number;
  /** GitHub App: the check run fails on findings the pull request adds at or above this severity; `none` never fails. */
  failOn: 'none' | 'error' | 'warning';
  llm: { enabled: boolean; model: string };
};

export const defaultConfig: ResolvedConfig = {
  select: [],
  extendSelect: [],
  ignore: [],
  perFileIgnores: [],
  preview: false,
  exclude: [],
  minSeverity: 'info',
  minConfidence: 'low',
  maxFileSize: 5_000_000,
  targetPythons: ['3.14t', '3.15t'],
  pypiName: undefined,
  label: 'free-threading',
  maxInlineComments: 20,
  failOn: 'none',
  llm: { enabled: true, model: 'gpt-4o-mini' },
};

/** A configuration mistake: the file, the key path, and where it is when the file says so. */
export type ConfigProblem = { source: string; path: string; message: string; line?: number; column?: number };

