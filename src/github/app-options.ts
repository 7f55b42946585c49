import type { PackageIndex } from '../core/ports.js';

/** What the app needs from outside the webhook: settings and ports. */
export type AppOptions = {
  dryRun: boolean;
  /** The app's slug; asked from GitHub once when not given. */
  appSlug?: string | undefined;
  docsBaseUrl: string;
  /** For the wheel matrix in triage comments; none means the section is left out. */
  packageIndex?: PackageIndex | undefined;
};

/** Fetches at most this many files at once. */
export const FETCH_CONCURRENCY = 8;
