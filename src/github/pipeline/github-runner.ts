import type { Context } from 'probot';
import type { ResolvedConfig } from '../../core/config/schema.js';
import type { ListedFile, PipelineRunner } from '../../core/pipeline/types.js';
import { loadGrammars } from '../../io/load-grammars.js';
import type { AppOptions } from '../app-options.js';
import { draftingSetup } from '../drafting-setup.js';
import { knowledgeLinker } from '../knowledge-index.js';

/** The runner's parts that are the same for a review and a triage in the app. */
export type GitHubRunnerBase = Pick<PipelineRunner<ListedFile>, 'drafting' | 'grammars' | 'knowledgeLink' | 'scan' | 'packageIndex'>;

/**
 * The app's ports for one run: drafters charged to `issueNumber` and the installation, the
 * grammars, the knowledge links of the app's docs site, the scan on the app's scan runner (a
 * worker thread with a budget; none: the core scans in this thread) and the package index.
 */
export function githubRunnerBase(params: {
  context: Context;
  repo: { owner: string; repo: string };
  issueNumber: number;
  config: ResolvedConfig;
  options: AppOptions;
}): GitHubRunnerBase {
  const { context, repo, issueNumber, config, options } = params;
  return {
    packageIndex: options.packageIndex,
    drafting: async ({ allowLlm }) => draftingSetup({ context, repo, issueNumber, config, options, allowLlm }),
    grammars: loadGrammars,
    knowledgeLink: async () => knowledgeLinker(options, context.log),
    scan: async (files, rules) => {
      if (options.scanRunner === undefined) return undefined;
      const { maxFileSize, minSeverity, minConfidence } = config;
      return options.scanRunner({ files, ruleIds: rules.map((r) => r.meta.id), config: { maxFileSize, minSeverity, minConfidence } });
    },
  };
}
