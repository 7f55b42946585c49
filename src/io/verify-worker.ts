import { parentPort } from 'node:worker_threads';
import { verifyDraft, type Verification, type VerifyRequest } from '../core/drafting/verify-draft.js';
import { rules as allRules } from '../core/rules/index.js';
import { loadGrammars } from './load-grammars.js';

/** A request to the verify thread, and its answer under the same id. */
export type VerifyWorkerRequest = { id: number; request: VerifyRequest };
export type VerifyWorkerAnswer = { id: number; result: Verification };

/**
 * The thread behind `createDraftVerifier`: loads the grammars once, then verifies drafts one
 * message at a time. Messages sent while the grammars load wait on the port.
 */
async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  const grammars = await loadGrammars();
  port.on('message', ({ id, request }: VerifyWorkerRequest) => {
    let result: Verification;
    try {
      const ids = new Set(request.ruleIds);
      result = verifyDraft({ ...request, grammars, rules: allRules.filter((rule) => ids.has(rule.meta.id)) });
    } catch (error) {
      result = { ok: false, problems: [`verification failed: ${String(error).slice(0, 200)}`] };
    }
    port.postMessage({ id, result } satisfies VerifyWorkerAnswer);
  });
}

await main();
