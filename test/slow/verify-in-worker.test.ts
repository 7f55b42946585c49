import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDeterministicDrafter } from '../../src/core/drafting/deterministic-drafter.js';
import { draftSuggestions } from '../../src/core/drafting/draft-suggestions.js';
import type { VerifyRequest } from '../../src/core/drafting/verify-draft.js';
import { createDraftVerifier } from '../../src/io/verify-in-worker.js';
import { allSelected, GOOD_REPLACEMENT, loadDraftingContext, LOOKUP_PATH, LOOKUP_SOURCE, scanOne } from '../helpers/drafting.js';

const spam = readFileSync(new URL('../../examples/spamext/src/spam/spammodule.c', import.meta.url), 'utf8');
const ruleIds = allSelected.map((r) => r.meta.id);

async function request(fileText: string, replacement: string): Promise<VerifyRequest> {
  const { grammars } = await loadDraftingContext();
  const finding = scanOne(grammars, LOOKUP_PATH, fileText).find((f) => f.ruleId === 'FT004' && f.line === 8);
  if (finding === undefined) throw new Error('no FT001 on line 8');
  return { fileText, edit: { path: LOOKUP_PATH, startLine: 8, endLine: 12, replacement }, finding, ruleIds };
}

describe('createDraftVerifier (issue 14: draft verification off the event loop)', () => {
  it('verifies on a worker thread with the same checks as verifyDraft', async () => {
    const verify = createDraftVerifier();
    expect(await verify(await request(LOOKUP_SOURCE, GOOD_REPLACEMENT))).toMatchObject({ ok: true, problems: [] });
    const backdoor = await verify(await request(LOOKUP_SOURCE, GOOD_REPLACEMENT.replace('    return value;', '    system("sh");\n    return value;')));
    expect(backdoor.ok).toBe(false);
    expect(backdoor.problems).toContain('the edit adds calls that are not part of the migration: `system`');
  }, 60_000);

  it('keeps the event loop turning while it verifies a 300 KB file, and fails the draft past its time budget', async () => {
    let big = LOOKUP_SOURCE;
    while (big.length < 300_000) big += spam.replace(/spam_/g, `s${big.length}_`);
    const verify = createDraftVerifier({ timeoutMs: 300 });
    let turns = 0;
    const ticker = setInterval(() => (turns += 1), 1);
    const result = await verify(await request(big, GOOD_REPLACEMENT));
    clearInterval(ticker);
    expect(result).toEqual({ ok: false, problems: ['the edit could not be verified: it took over 300 ms'] });
    // Timers ran while the other thread worked (verifying in this thread would have held them all).
    expect(turns).toBeGreaterThan(0);
    // The next verification gets a fresh thread.
    const small = await createDraftVerifier()(await request(LOOKUP_SOURCE, GOOD_REPLACEMENT));
    expect(small.ok).toBe(true);
  }, 60_000);

  it('is what draftSuggestions verifies with when given one', async () => {
    const { grammars, knowledge } = await loadDraftingContext();
    const findings = scanOne(grammars, LOOKUP_PATH, LOOKUP_SOURCE).filter((f) => f.ruleId === 'FT004');
    const asked: VerifyRequest[] = [];
    const { suggestions } = await draftSuggestions({
      findings,
      fileText: LOOKUP_SOURCE,
      path: LOOKUP_PATH,
      knowledge,
      drafter: createDeterministicDrafter({ grammars }),
      project: {},
      grammars,
      rules: allSelected,
      verifier: async (req) => {
        asked.push(req);
        return { ok: false, problems: ['the edit could not be verified: it took over 1 ms'] };
      },
    });
    expect(asked).toHaveLength(1);
    expect(asked[0]?.ruleIds).toEqual(ruleIds);
    expect(suggestions[0]).toMatchObject({ verified: false, problems: ['the edit could not be verified: it took over 1 ms'] });
    expect(suggestions[0]?.edit).toBeUndefined();
  });
});
