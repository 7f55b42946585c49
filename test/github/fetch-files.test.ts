import { Readable } from 'node:stream';
import type { Context } from 'probot';
import { ProbotOctokit } from 'probot';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/core/diagnostics.js';
import { fetchFiles } from '../../src/github/pipeline/fetch-files.js';
import { githubApi, REPO } from '../helpers/probot-app.js';

const MiB = 1024 * 1024;

/** A streamed body of `total` bytes, sent without `content-length`, so only the stream cap can stop it. */
function lazyBody(total: number): Readable {
  const pulled = { bytes: 0 };
  const chunk = Buffer.alloc(64 * 1024, 'a');
  return new Readable({
    read() {
      if (pulled.bytes >= total) {
        this.push(null);
        return;
      }
      pulled.bytes += chunk.length;
      this.push(chunk);
    },
  });
}

function contextOf(): Context {
  const octokit = new ProbotOctokit({ retry: { enabled: false }, throttle: { enabled: false } });
  return { octokit } as unknown as Context;
}

describe('fetching changed files', () => {
  it('stops a download at the per-file limit instead of reading the whole file first', async () => {
    const api = githubApi();
    api.scope.get(`${REPO}/contents/src%2Fhuge.c`).query({ ref: 'head' }).reply(200, () => lazyBody(3 * MiB));
    api.scope.get(`${REPO}/contents/src%2Fsmall.c`).query({ ref: 'head' }).reply(200, 'int x;\n');
    const skipped: Diagnostic[] = [];
    const files = await fetchFiles({ context: contextOf(), owner: 'Codertocat', repo: 'Hello-World', ref: 'head', paths: ['src/huge.c', 'src/small.c'], skipped, maxFileBytes: 1 * MiB });
    expect(api.violations).toEqual([]);
    expect(api.unmatched).toEqual([]);
    expect(files).toEqual([{ path: 'src/small.c', text: 'int x;\n' }]);
    expect(skipped).toEqual([{ kind: 'too-large', path: 'src/huge.c', message: `skipped: over the ${MiB}-byte limit` }]);
  });

  it('stops at what is left of the run budget, and counts the file as over the budget', async () => {
    const api = githubApi();
    api.scope.get(`${REPO}/contents/src%2Fa.c`).query({ ref: 'head' }).reply(200, 'a'.repeat(3000));
    api.scope.get(`${REPO}/contents/src%2Fb.c`).query({ ref: 'head' }).reply(200, 'b'.repeat(3000), { 'content-length': '3000' });
    const skipped: Diagnostic[] = [];
    const read = async (path: string) => fetchFiles({ context: contextOf(), owner: 'Codertocat', repo: 'Hello-World', ref: 'head', paths: [path], skipped, maxFileBytes: 4000, maxTotalBytes: 2000 });
    expect(await read('src/a.c')).toEqual([]);
    expect(await read('src/b.c')).toEqual([]);
    expect(skipped.map((d) => d.kind)).toEqual(['truncated', 'truncated']);
    expect(api.scope.pendingMocks()).toEqual([]);
  });
});
