import { readFileSync } from 'node:fs';
import type { ResolvedConfig } from '../core/config/schema.js';
import type { PipelineOutput, PipelineRunner } from '../core/pipeline/types.js';
import type { DiffLines } from '../core/review/index.js';
import { loadGrammars } from '../io/load-grammars.js';
import { loadKnowledge } from '../io/load-knowledge.js';
import { walkFiles, type WalkedFile } from '../io/walk-files.js';
import type { CliIo } from './io.js';
import { reviewDrafting } from './review-drafting.js';

/** The checkout named on the command line does not exist. */
export class MissingCheckoutError extends Error {}

/**
 * The pipeline's runner for a checkout on disk (`ftbot review`): lists the files under `dir`
 * (for a review, only those `diff` changes), reads them (a file that cannot be read is left
 * out), drafts with ftbot's templates or a model when the job allows one and `llm` is on, and
 * hands the output to `write` (the command prints it). No package index, no previous comments.
 */
export function checkoutRunner(params: {
  io: CliIo;
  dir: string;
  config: ResolvedConfig;
  diff: DiffLines | undefined;
  repository: string | undefined;
  llm: boolean;
  write: (output: PipelineOutput) => void;
}): PipelineRunner<WalkedFile> {
  const { io, dir, config, diff } = params;
  return {
    // Reading a checkout is synchronous; the runner's methods return settled promises.
    listFiles: () => {
      const walked = walkFiles({ cwd: dir, roots: ['.'], exclude: config.exclude });
      if (walked.missing.length > 0) return Promise.reject(new MissingCheckoutError(`no such directory: ${dir}`));
      return Promise.resolve({ files: diff === undefined ? walked.files : walked.files.filter((f) => diff.has(f.path)), diff });
    },
    readFiles: (chosen) =>
      Promise.resolve(
        chosen.flatMap((f) => {
          try {
            return [{ path: f.path, text: readFileSync(f.absolute, 'utf8') }];
          } catch {
            return [];
          }
        }),
      ),
    grammars: loadGrammars,
    drafting: async ({ allowLlm }) =>
      reviewDrafting({ io, grammars: await loadGrammars(), knowledge: await loadKnowledge(), config, repository: params.repository, llm: allowLlm && params.llm }),
    write: (output) => {
      params.write(output);
      return Promise.resolve();
    },
  };
}
