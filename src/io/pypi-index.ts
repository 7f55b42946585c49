import { z } from 'zod';
import type { Clock, PackageFile, PackageHistory, PackageIndex, PackageIndexUnknown, PackageRelease } from '../core/ports.js';
import { redactSecrets } from '../core/safety/sanitize-output.js';
import { VERSION } from '../core/version.js';

/**
 * A `PackageIndex` over PyPI's JSON API:
 *   GET <base>/pypi/<project>/json            the latest release
 *   GET <base>/pypi/<project>/<version>/json  one release
 * Only `info.name`, `info.version` and `urls[]` (the release's files) are read, and for
 * `findReleases` the project page's `releases` map (deprecated by PyPI but still served), which
 * comes with the same response as the latest release: one request answers both. Every failure
 * becomes an "unknown" answer with a reason; nothing throws.
 */

export type PypiIndexOptions = {
  /** Where PyPI lives; default `https://pypi.org`. The CLI passes `FTBOT_PYPI_URL`. */
  baseUrl?: string;
  /** Default: the global `fetch` (which nock intercepts in tests). */
  fetch?: typeof fetch;
  /** Per request, headers and body together; default 10 s. */
  timeoutMs?: number;
  /** Bodies larger than this are refused; default 16 MiB (a project page with every release can pass 5 MiB). */
  maxBytes?: number;
  /** How long an answer is reused; default 5 minutes. Only successes and 404s are cached. */
  ttlMs?: number;
  /**
   * Answers kept in the cache, by the size of PyPI's bodies, at most; default 64 MiB. Oldest go
   * first. Without it, 256 cached project pages of up to `maxBytes` each could hold gigabytes.
   */
  maxCacheBytes?: number;
  /** Default: `Date.now`. */
  clock?: Clock;
};

/** PEP 508 project names: letters and digits, with `.`, `_` and `-` inside. */
const PROJECT_NAME = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;
/** Versions are checked loosely (PyPI decides), only so that nothing odd reaches the URL. */
const VERSION_TEXT = /^[A-Za-z0-9][A-Za-z0-9.!+_-]{0,63}$/;
/** Longest project name looked up. */
const MAX_NAME_LENGTH = 200;
/** At most this many answers are cached; the oldest goes first. */
const CACHE_ENTRIES = 256;

const pypiFile = z.object({
  filename: z.string(),
  packagetype: z.string().optional(),
  yanked: z.boolean().optional(),
  upload_time_iso_8601: z.string().max(64).optional(),
});

const pypiResponse = z.object({
  info: z.object({ name: z.string(), version: z.string() }),
  urls: z.array(pypiFile),
});

/** Read apart from the rest, so that an odd `releases` map never spoils the latest release's answer. */
const pypiReleases = z.object({ releases: z.record(z.string(), z.array(pypiFile)) });

/** A release, plus the project's history when the answer carried one. */
type Answer = { release: PackageRelease; history?: PackageHistory } | PackageIndexUnknown;

function toFile(u: z.infer<typeof pypiFile>): PackageFile {
  return {
    filename: u.filename,
    ...(u.packagetype === undefined ? {} : { packageType: u.packagetype }),
    ...(u.yanked === undefined ? {} : { yanked: u.yanked }),
    ...(u.upload_time_iso_8601 === undefined ? {} : { uploadTime: u.upload_time_iso_8601 }),
  };
}

function unknown(kind: PackageIndexUnknown['kind'], reason: string): PackageIndexUnknown {
  return { status: 'unknown', kind, reason };
}

/** Reads a body up to `maxBytes`, cancelling the stream as soon as it is over. */
async function readCapped(response: Response, maxBytes: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    return undefined;
  }
  if (response.body === null) return '';
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** Untrusted input shown inside a message: capped, no backticks or control characters. */
function shown(text: string): string {
  return text.slice(0, 100).replace(/[`\p{Cc}]/gu, '?');
}

function describeFailure(error: unknown): PackageIndexUnknown['kind'] {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  return 'network';
}

/**
 * Moves `user:token@` out of a mirror's URL into a Basic `authorization` header: fetch refuses
 * URLs with credentials (and its error quotes the URL), and no URL ftbot prints carries them.
 */
function splitCredentials(url: string): { baseUrl: string; authorization?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { baseUrl: url };
  }
  if (parsed.username === '' && parsed.password === '') return { baseUrl: url };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return { baseUrl: parsed.href.replace(/\/+$/, ''), authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/**
 * Creates a `PackageIndex` backed by PyPI's JSON API.
 *
 * @param options
 *   Base URL, fetch, timeout, size cap, cache TTL and clock; all optional.
 * @returns
 *   An index whose `findRelease` never throws: trouble comes back as `{ status: 'unknown', kind, reason }`.
 *
 * @example
 *   const index = createPypiIndex({ baseUrl: process.env.FTBOT_PYPI_URL });
 *   const release = await index.findRelease({ project: 'numpy', version: '2.3.0' });
 */
export function createPypiIndex(options: PypiIndexOptions = {}): PackageIndex {
  const { baseUrl, authorization } = splitCredentials((options.baseUrl ?? 'https://pypi.org').replace(/\/+$/, ''));
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const clock = options.clock ?? { now: () => Date.now() };
  const maxCacheBytes = options.maxCacheBytes ?? 64 * 1024 * 1024;
  const cache = new Map<string, { expires: number; answer: Answer; bytes: number }>();
  let cachedBytes = 0;
  const forget = (key: string): void => {
    const entry = cache.get(key);
    if (entry === undefined) return;
    cachedBytes -= entry.bytes;
    cache.delete(key);
  };

  async function request(project: string, version: string | undefined): Promise<Answer & { bytes?: number }> {
    const label = version === undefined ? `\`${project}\`` : `\`${project}\` ${version}`;
    const path = version === undefined ? `${project}/json` : `${project}/${encodeURIComponent(version)}/json`;
    const url = `${baseUrl}/pypi/${path}`;
    let response: Response;
    try {
      response = await fetchImpl(url, {
        headers: { accept: 'application/json', 'user-agent': `ftbot/${VERSION} (free-threading porting bot)`, ...(authorization === undefined ? {} : { authorization }) },
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'follow',
      });
    } catch (error) {
      const kind = describeFailure(error);
      return kind === 'timeout'
        ? unknown('timeout', `PyPI did not answer within ${timeoutMs} ms for ${label}`)
        : unknown('network', `could not reach PyPI for ${label}: ${redactSecrets(error instanceof Error ? error.message : String(error)).slice(0, 300)}`);
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return unknown('not-found', `PyPI has no ${version === undefined ? 'project' : 'release'} ${label}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      return unknown('http-error', `PyPI answered ${response.status} for ${label}`);
    }
    let text: string | undefined;
    try {
      text = await readCapped(response, maxBytes);
    } catch (error) {
      const kind = describeFailure(error);
      return kind === 'timeout'
        ? unknown('timeout', `PyPI did not finish answering within ${timeoutMs} ms for ${label}`)
        : unknown('network', `the answer from PyPI for ${label} broke off`);
    }
    if (text === undefined) return unknown('too-large', `PyPI's answer for ${label} is larger than ${maxBytes} bytes`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return unknown('malformed', `PyPI's answer for ${label} is not valid JSON`);
    }
    const parsed = pypiResponse.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue === undefined ? '' : ` at \`${issue.path.join('.') || '(root)'}\``;
      return unknown('malformed', `PyPI's answer for ${label} has an unexpected shape${where}`);
    }
    const { info, urls } = parsed.data;
    // The index names the project; a name outside PEP 508's shape (backticks, markup, 60,000
    // characters) is not shown, the validated name asked for is.
    const shownName = info.name.length <= MAX_NAME_LENGTH && PROJECT_NAME.test(info.name) ? info.name : project;
    const release: PackageRelease = { status: 'ok', project: shownName, version: info.version, files: urls.map(toFile), bytes: text.length };
    const map = version === undefined ? pypiReleases.safeParse(json) : undefined;
    if (map?.success !== true) return { release, bytes: text.length };
    const releases = Object.entries(map.data.releases).map(([v, files]) => ({ version: v, files: files.map(toFile) }));
    return { release, history: { status: 'ok', project: shownName, releases }, bytes: text.length };
  }

  /** Validates, then answers from the cache or asks PyPI; only successes and 404s are cached. */
  async function find(project: string, version: string | undefined): Promise<Answer> {
    // Validate before any request: a name or version outside these shapes never reaches the URL.
    // No project name on PyPI is anywhere near 200 characters; longer ones are not even matched.
    if (project.length > MAX_NAME_LENGTH || !PROJECT_NAME.test(project)) return unknown('invalid-name', `\`${shown(project)}\` is not a valid project name`);
    if (version !== undefined && !VERSION_TEXT.test(version)) {
      return unknown('invalid-version', `\`${shown(version)}\` is not a valid version`);
    }
    // PEP 503 normal form, so `Pillow` and `pillow` share one cache entry and one URL.
    const name = project.toLowerCase().replace(/[-_.]+/g, '-');
    const key = `${name}@${version ?? ''}`;
    const now = clock.now();
    const cached = cache.get(key);
    if (cached !== undefined && cached.expires > now) return cached.answer;
    forget(key);

    const { bytes = 0, ...answer } = await request(name, version);
    if (('release' in answer || answer.kind === 'not-found') && bytes <= maxCacheBytes) {
      while (cache.size > 0 && (cache.size >= CACHE_ENTRIES || cachedBytes + bytes > maxCacheBytes)) {
        const oldest = cache.keys().next();
        if (oldest.done === true) break;
        forget(oldest.value);
      }
      cache.set(key, { expires: now + ttlMs, answer, bytes });
      cachedBytes += bytes;
    }
    return answer;
  }

  return {
    async findRelease({ project, version }) {
      const answer = await find(project, version);
      return 'release' in answer ? answer.release : answer;
    },
    async findReleases({ project }) {
      // The project page lists every release next to the latest one's files.
      const answer = await find(project, undefined);
      if (!('release' in answer)) return answer;
      return answer.history ?? unknown('malformed', `PyPI's answer for \`${shown(project)}\` lists no releases`);
    },
  };
}
