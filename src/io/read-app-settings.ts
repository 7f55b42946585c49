import { readLlmSettings, type LlmSettings } from './openai-client.js';

/** Settings of the GitHub App that come from the environment (the only place it is read). */
export type AppSettings = {
  /** `FTBOT_DRY_RUN=1`: log every write instead of sending it. */
  dryRun: boolean;
  /** `FTBOT_APP_SLUG`: the app's slug, so mentions work without asking GitHub. */
  appSlug: string | undefined;
  /** `FTBOT_DOCS_URL`: where the rule pages live, for links in comments. */
  docsBaseUrl: string | undefined;
  /**
   * `FTBOT_PUBLIC_URL`: the app server's public address (`https://ftbot.example.org`, no
   * trailing slash). Posted links then point at the pages it serves under `/docs/`.
   */
  publicUrl: string | undefined;
  /** `FTBOT_PYPI_URL`: another PyPI (a mirror or a test server) instead of `https://pypi.org`. */
  pypiUrl: string | undefined;
  /**
   * `FTBOT_LLM_API_KEY` or `OPENAI_API_KEY` (with `OPENAI_BASE_URL`, `FTBOT_LLM_MODEL`,
   * `FTBOT_LLM_TIMEOUT_MS`, `FTBOT_LLM_MAX_RETRIES`): the model that drafts fixes; undefined
   * without a key, and the app drafts with its templates.
   */
  llm: LlmSettings | undefined;
  /** `FTBOT_LLM_CALLS_PER_PR` (default 20) and `FTBOT_LLM_CALLS_PER_DAY` per installation (default 200). */
  llmCallsPerPullRequest: number | undefined;
  llmCallsPerDay: number | undefined;
};

/**
 * Reads the app's `FTBOT_*` settings from an environment.
 *
 * @example
 *   readAppSettings({ FTBOT_DRY_RUN: '1' }) // → { dryRun: true, appSlug: undefined, …, llm: undefined }
 */
export function readAppSettings(env: Record<string, string | undefined> = process.env): AppSettings {
  const flag = (env.FTBOT_DRY_RUN ?? '').trim().toLowerCase();
  return {
    dryRun: flag !== '' && flag !== '0' && flag !== 'false',
    appSlug: env.FTBOT_APP_SLUG?.trim() || undefined,
    docsBaseUrl: env.FTBOT_DOCS_URL?.trim() || undefined,
    publicUrl: publicUrl(env.FTBOT_PUBLIC_URL),
    pypiUrl: env.FTBOT_PYPI_URL?.trim() || undefined,
    llm: readLlmSettings(env),
    llmCallsPerPullRequest: count(env.FTBOT_LLM_CALLS_PER_PR, 'FTBOT_LLM_CALLS_PER_PR'),
    llmCallsPerDay: count(env.FTBOT_LLM_CALLS_PER_DAY, 'FTBOT_LLM_CALLS_PER_DAY'),
  };
}

function publicUrl(value: string | undefined): string | undefined {
  const text = value?.trim().replace(/\/+$/, '');
  if (text === undefined || text === '') return undefined;
  if (!/^https?:\/\/[^\s/]+/.test(text)) throw new Error(`FTBOT_PUBLIC_URL must be an http(s) URL, got '${value}'`);
  return text;
}

function count(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${value}'`);
  return n;
}
