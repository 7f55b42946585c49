import type { Probot } from 'probot';
import { createLlmBudget } from '../core/drafting/budget.js';
import { NO_DOCS_SITE } from '../core/review/index.js';
import { createMarkerKey } from '../io/marker-key.js';
import { createOpenAiClient } from '../io/openai-client.js';
import { createPypiIndex } from '../io/pypi-index.js';
import { readAppSettings } from '../io/read-app-settings.js';
import { createScanRunner } from '../io/scan-in-worker.js';
import { createDraftVerifier } from '../io/verify-in-worker.js';
import type { AppOptions } from './app-options.js';
import { CHECK_EVENTS, onCheckRerequested } from './handlers/on-check-rerequested.js';
import { COMMENT_EVENTS, onIssueComment } from './handlers/on-issue-comment.js';
import { ISSUES_EVENTS, onIssues } from './handlers/on-issues.js';
import { onPullRequest, PULL_REQUEST_EVENTS } from './handlers/on-pull-request.js';
import { readServiceSettings } from './queue/read-service-settings.js';
import { withErrorHandling } from './with-error-handling.js';

/**
 * Builds the Probot app function. Options are explicit so tests and the benchmark can run it
 * with a dry run, a fixed slug or a fake package index.
 */
export function createApp(appOptions: AppOptions): (app: Probot) => void {
  return (app) => {
    // One LLM budget per process: per pull request, per installation per day, and the breaker.
    const llm = appOptions.llm;
    const options: AppOptions =
      llm === undefined || llm.budget !== undefined
        ? appOptions
        : {
            ...appOptions,
            llm: {
              ...llm,
              budget: createLlmBudget({
                clock: { now: appOptions.now ?? Date.now },
                ...(llm.perPullRequest === undefined ? {} : { perPullRequest: llm.perPullRequest }),
                ...(llm.perInstallationPerDay === undefined ? {} : { perInstallationPerDay: llm.perInstallationPerDay }),
              }),
            },
          };
    // The slug is asked once per process (GET /app, app-authenticated) unless it is configured.
    let slug: Promise<string | undefined> | undefined = options.appSlug === undefined ? undefined : Promise.resolve(options.appSlug);
    const appSlug = async (): Promise<string | undefined> => {
      slug ??= app
        .auth()
        .then(async (octokit) => (await octokit.rest.apps.getAuthenticated()).data?.slug)
        .catch((error: unknown) => {
          slug = undefined;
          app.log.warn({ err: error }, 'could not read the app slug; set FTBOT_APP_SLUG');
          return undefined;
        });
      return slug;
    };
    app.on([...PULL_REQUEST_EVENTS], withErrorHandling('pull_request', onPullRequest(options)));
    app.on([...ISSUES_EVENTS], withErrorHandling('issues', onIssues(options, appSlug)));
    app.on([...COMMENT_EVENTS], withErrorHandling('issue_comment', onIssueComment(options, appSlug)));
    app.on([...CHECK_EVENTS], withErrorHandling('check_run', onCheckRerequested(options)));
  };
}

/**
 * Where posted links point: the server's own `/docs/` pages when `FTBOT_PUBLIC_URL` is set, else
 * `FTBOT_DOCS_URL`, else no docs site (rule ids unlinked, knowledge links to upstream sources).
 */
export function docsLinks(settings: { publicUrl?: string | undefined; docsBaseUrl?: string | undefined }): Pick<AppOptions, 'docsBaseUrl' | 'knowledgeBaseUrl'> {
  if (settings.publicUrl !== undefined) return { docsBaseUrl: `${settings.publicUrl}/docs/rules/`, knowledgeBaseUrl: `${settings.publicUrl}/docs/` };
  return { docsBaseUrl: settings.docsBaseUrl ?? NO_DOCS_SITE };
}

/**
 * The app as `npm start` runs it: settings from `FTBOT_*` variables, wheels from PyPI, and a
 * model for drafting when `OPENAI_API_KEY`/`FTBOT_LLM_API_KEY` is set.
 */
export default function ftbotApp(app: Probot): void {
  const settings = readAppSettings();
  createApp({
    dryRun: settings.dryRun,
    appSlug: settings.appSlug,
    ...docsLinks(settings),
    packageIndex: createPypiIndex(settings.pypiUrl === undefined ? {} : { baseUrl: settings.pypiUrl }),
    // Scans run on a worker thread, so a hostile file cannot hold webhook acknowledgements.
    scanRunner: createScanRunner(),
    // So is the verification of drafted edits (it parses and scans the whole file twice).
    draftVerifier: createDraftVerifier(),
    markerKey: serverMarkerKey(),
    llm:
      settings.llm === undefined
        ? undefined
        : { client: createOpenAiClient(settings.llm), perPullRequest: settings.llmCallsPerPullRequest, perInstallationPerDay: settings.llmCallsPerDay },
  })(app);
}

/**
 * The key of the state markers: derived from the app's private key (else its webhook secret), so
 * it is stable across restarts and replicas and nobody outside the server can sign a marker.
 * Undefined without either (the fixed local key then applies, as in dry runs).
 */
function serverMarkerKey(): AppOptions['markerKey'] {
  const read = readServiceSettings(process.env);
  if (!('settings' in read)) return undefined;
  const secret = read.settings.privateKey.trim() || read.settings.secret;
  return secret === '' ? undefined : createMarkerKey(secret);
}
