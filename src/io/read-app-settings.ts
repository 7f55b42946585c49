/** Settings of the GitHub App that come from the environment (the only place it is read). */
export type AppSettings = {
  /** `FTBOT_DRY_RUN=1`: log every write instead of sending it. */
  dryRun: boolean;
  /** `FTBOT_APP_SLUG`: the app's slug, so mentions work without asking GitHub. */
  appSlug: string | undefined;
  /** `FTBOT_DOCS_URL`: where the rule pages live, for links in comments. */
  docsBaseUrl: string | undefined;
  /** `FTBOT_PYPI_URL`: another PyPI (a mirror or a test server) instead of `https://pypi.org`. */
  pypiUrl: string | undefined;
};

/**
 * Reads the app's `FTBOT_*` settings from an environment.
 *
 * @example
 *   readAppSettings({ FTBOT_DRY_RUN: '1' }) // → { dryRun: true, appSlug: undefined, docsBaseUrl: undefined, pypiUrl: undefined }
 */
export function readAppSettings(env: Record<string, string | undefined> = process.env): AppSettings {
  const flag = (env.FTBOT_DRY_RUN ?? '').trim().toLowerCase();
  return {
    dryRun: flag !== '' && flag !== '0' && flag !== 'false',
    appSlug: env.FTBOT_APP_SLUG?.trim() || undefined,
    docsBaseUrl: env.FTBOT_DOCS_URL?.trim() || undefined,
    pypiUrl: env.FTBOT_PYPI_URL?.trim() || undefined,
  };
}
