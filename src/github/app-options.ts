import type { LlmBudget } from '../core/drafting/budget.js';
import type { KnowledgeIndex } from '../core/knowledge/build-index.js';
import type { DraftVerifier } from '../core/drafting/verify-draft.js';
import type { LlmClient, PackageIndex } from '../core/ports.js';
import type { MarkerKey } from '../io/marker-key.js';
import type { ScanRunner } from '../io/scan-in-worker.js';
import type { DryRun } from './write-github.js';

/** What the app needs from outside the webhook: settings and ports. */
export type AppOptions = {
  /** Log writes instead of sending them; `{ sink }` also hands each write to the sink. */
  dryRun: DryRun;
  /** The app's slug; asked from GitHub once when not given. */
  appSlug?: string | undefined;
  /**
   * Where the rule pages live (`…/docs/rules/`), or `''` for no docs site: rule ids are then not
   * linked and knowledge links point at the upstream documentation the pages cite.
   */
  docsBaseUrl: string;
  /**
   * Where knowledge pages are linked (`<base>knowledge/<page>.md#<anchor>`); default: two folders
   * above `docsBaseUrl`, as in the repository. `FTBOT_PUBLIC_URL` sets it to the server's `/docs/`.
   */
  knowledgeBaseUrl?: string | undefined;
  /** For wheel matrices (triage, `wheels`, summaries of build changes); none leaves them out. */
  packageIndex?: PackageIndex | undefined;
  /**
   * Loads the knowledge index for `ask` and the knowledge links; default: the package's
   * `knowledge/index.json`, read once per process.
   */
  knowledge?: (() => Promise<KnowledgeIndex | undefined>) | undefined;
  /** Answers (`ask`, `wheels`, `deps`) per issue or pull request per hour; default 5. */
  answersPerHour?: number | undefined;
  /**
   * Replies of any kind (help, unknown commands, refusals, answers, re-runs) to one person per
   * hour, across every repository of the installation; default 20.
   */
  repliesPerUserPerHour?: number | undefined;
  /** Replies of any kind per installation per hour; default 200. */
  repliesPerInstallationPerHour?: number | undefined;
  /** Replies of any kind by this process per hour, across every installation; default 2,000. */
  repliesPerProcessPerHour?: number | undefined;
  /** Milliseconds since the epoch, for the answer limit and the LLM budget; default `Date.now`. */
  now?: (() => number) | undefined;
  /**
   * The language model that drafts fixes in reviews and `suggest` replies, when a key is
   * configured and the repository's `llm.enabled` is not false. Without it (or over a budget)
   * ftbot's templates draft. `createApp` builds one budget per process unless `budget` is given.
   */
  llm?: LlmOptions | undefined;
  /**
   * Runs review and triage scans off the event loop within a time and memory budget
   * (`createScanRunner`); `npm start` sets it. Without it the scan runs in the handler's thread.
   */
  scanRunner?: ScanRunner | undefined;
  /**
   * Verifies drafted edits off the event loop within a time budget (`createDraftVerifier`);
   * `npm start` sets it. Without it drafts are verified in the handler's thread.
   */
  draftVerifier?: DraftVerifier | undefined;
  /**
   * Keys the hidden state markers (`<!-- ftbot:fp … -->`, the summary's state block) so that only
   * this server's writes count as state (`createMarkerKey`). `npm start` derives it from the app's
   * private key; without it (tests, dry runs) a fixed, public local key is used.
   */
  markerKey?: MarkerKey | undefined;
};

export type LlmOptions = {
  client: LlmClient;
  budget?: LlmBudget | undefined;
  /** LLM calls per pull request or issue (default 20). */
  perPullRequest?: number | undefined;
  /** LLM calls per installation per UTC day (default 200). */
  perInstallationPerDay?: number | undefined;
};

/** Fetches at most this many files at once. */
export const FETCH_CONCURRENCY = 8;
