import { describe, expect, it } from 'vitest';
import { classifyGitHubError } from '../../src/github/queue/classify-github-error.js';

describe('classifyGitHubError', () => {
  it('retries a job when the shared limiter\u2019s Redis lost its state or is unreachable, instead of counting it done', () => {
    expect(classifyGitHubError(new Error('ERR SETTINGS_KEY_NOT_FOUND'))).toBe('transient');
    expect(classifyGitHubError(new Error('Connection is closed.'))).toBe('transient');
    expect(classifyGitHubError(new Error('LOADING Redis is loading the dataset in memory'))).toBe('transient');
    expect(classifyGitHubError(new Error('Cannot read properties of undefined'))).toBe('fatal');
  });
});
