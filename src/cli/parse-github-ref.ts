import { UsageError } from './io.js';

/** A repository, and a pull request in it when the reference names one. */
export type GitHubRef = { owner: string; repo: string; number?: number };

// GitHub's rules: owners are letters, digits and single hyphens (at most 39); names add `.` and `_`.
const OWNER = '([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))';
const NAME = '([A-Za-z0-9._-]{1,100})';
const PULL_URL = new RegExp(`^https?://(?:www\\.)?github\\.com/${OWNER}/${NAME}/pull/(\\d+)(?:/[\\w/-]*)?/?(?:[?#].*)?$`);
const PULL_SHORT = new RegExp(`^${OWNER}/${NAME}#(\\d+)$`);
const REPO_URL = new RegExp(`^https?://(?:www\\.)?github\\.com/${OWNER}/${NAME}/?$`);
const REPO_SHORT = new RegExp(`^${OWNER}/${NAME}$`);

/**
 * Reads `--pr` (`https://github.com/o/r/pull/12` or `o/r#12`) or `--repo` (`o/r` or
 * `https://github.com/o/r`) before any request; a malformed one is a usage error.
 *
 * @example
 *   parseGitHubRef('python/cpython#123', 'pull') // → { owner: 'python', repo: 'cpython', number: 123 }
 *   parseGitHubRef('https://github.com/python/cpython', 'repo') // → { owner: 'python', repo: 'cpython' }
 */
export function parseGitHubRef(text: string, kind: 'pull' | 'repo'): GitHubRef {
  const trimmed = text.trim();
  if (kind === 'pull') {
    const m = PULL_URL.exec(trimmed) ?? PULL_SHORT.exec(trimmed);
    const number = Number(m?.[3]);
    if (m === null || !Number.isSafeInteger(number) || number < 1 || !validName(m[2])) {
      throw new UsageError(`'${text}' is not a pull request: give https://github.com/<owner>/<repo>/pull/<number> or <owner>/<repo>#<number>`);
    }
    return { owner: m[1] as string, repo: m[2] as string, number };
  }
  const bare = trimmed.replace(/\.git$/, '');
  const m = REPO_SHORT.exec(bare) ?? REPO_URL.exec(bare);
  if (m === null || !validName(m[2])) throw new UsageError(`'${text}' is not a repository: give <owner>/<repo> or https://github.com/<owner>/<repo>`);
  return { owner: m[1] as string, repo: m[2] as string };
}

function validName(name: string | undefined): boolean {
  return name !== undefined && name !== '.' && name !== '..';
}
