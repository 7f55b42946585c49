import { describe, expect, it } from 'vitest';
import { GITHUB_BODY_LIMIT, neutralizeMentions, patchLines, readStateMarkers, renderStateMarkers, truncateBody } from '../../../src/core/review/index.js';
import { createMarkerKey } from '../../../src/io/marker-key.js';

describe('review bodies', () => {
  it('truncates under the limit, keeps the markers and closes an open fence', () => {
    const body = `intro\n\`\`\`c\n${'x = 1;\n'.repeat(20_000)}`;
    const out = truncateBody(body, { tail: '<!-- ftbot:summary v1 -->' });
    expect(out.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(out.endsWith('<!-- ftbot:summary v1 -->')).toBe(true);
    expect(out).toContain('Truncated');
    expect((out.match(/^```/gm) ?? []).length % 2).toBe(0);
  });

  it('neutralises mentions', () => {
    expect(neutralizeMentions('cc @octocat and @org/team, mail a@b.c')).toBe('cc @\u200boctocat and @\u200borg/team, mail a@\u200bb.c');
  });

  it('reads bare patches without the no-newline pseudo-line', () => {
    expect(patchLines('@@ -1,2 +1,2 @@\n a\n-b\n+c\n\\ No newline at end of file').hunks).toEqual([[1, 2]]);
  });

  it('round-trips the state block and cannot be broken by a path', () => {
    const findings = [{ fingerprint: 'ab12', ruleId: 'FT001', path: 'a-->b.c', line: 3, posted: true }];
    const signer = createMarkerKey('test key').forThread('o/r#1');
    const block = renderStateMarkers({ headSha: 'f'.repeat(40), findings, signer });
    expect(block.split('-->')).toHaveLength(3);
    expect(readStateMarkers(block, signer)).toEqual({ headSha: 'f'.repeat(40), findings });
  });
});
