import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/core/version.js';
import { createPypiIndex } from '../../src/io/pypi-index.js';

const PYPI = 'https://pypi.org';

const release = {
  info: { name: 'psutil', version: '7.1.2', summary: 'ignored' },
  urls: [
    { filename: 'psutil-7.1.2.tar.gz', packagetype: 'sdist', yanked: false },
    { filename: 'psutil-7.1.2-cp314-cp314t-win_amd64.whl', packagetype: 'bdist_wheel', yanked: false },
  ],
  releases: {},
};

afterEach(() => {
  nock.cleanAll();
});

describe('createPypiIndex', () => {
  it('reads the release files and sends a descriptive User-Agent', async () => {
    const scope = nock(PYPI, { reqheaders: { 'user-agent': `ftbot/${VERSION} (free-threading porting bot)` } })
      .get('/pypi/psutil/7.1.2/json')
      .reply(200, release);
    const answer = await createPypiIndex().findRelease({ project: 'psutil', version: '7.1.2' });
    expect(answer).toEqual({
      status: 'ok',
      project: 'psutil',
      version: '7.1.2',
      files: [
        { filename: 'psutil-7.1.2.tar.gz', packageType: 'sdist', yanked: false },
        { filename: 'psutil-7.1.2-cp314-cp314t-win_amd64.whl', packageType: 'bdist_wheel', yanked: false },
      ],
      bytes: JSON.stringify(release).length,
    });
    expect(scope.isDone()).toBe(true);
  });

  it('asks the project endpoint for the latest release, with the PEP 503 name', async () => {
    const scope = nock(PYPI).get('/pypi/pydantic-core/json').reply(200, { info: { name: 'pydantic_core', version: '2.41.5' }, urls: [] });
    const answer = await createPypiIndex().findRelease({ project: 'Pydantic_Core' });
    expect(answer).toMatchObject({ status: 'ok', project: 'pydantic_core', version: '2.41.5', files: [] });
    expect(scope.isDone()).toBe(true);
  });

  it('shows the name asked for when the index answers with a name outside PEP 508 (issue 14 L7)', async () => {
    const scope = nock(PYPI).get('/pypi/spam-ext/json').reply(200, { info: { name: 'spam`<img src=x>`', version: '1.0' }, urls: [] });
    expect(await createPypiIndex().findRelease({ project: 'spam-ext' })).toMatchObject({ status: 'ok', project: 'spam-ext' });
    expect(scope.isDone()).toBe(true);
  });

  it('uses a configured base URL', async () => {
    const scope = nock('http://mirror.test').get('/simple-mirror/pypi/psutil/json').reply(200, release);
    const answer = await createPypiIndex({ baseUrl: 'http://mirror.test/simple-mirror/' }).findRelease({ project: 'psutil' });
    expect(answer.status).toBe('ok');
    expect(scope.isDone()).toBe(true);
  });

  it('answers unknown on 404', async () => {
    nock(PYPI).get('/pypi/no-such-project/json').reply(404, { message: 'Not Found' });
    expect(await createPypiIndex().findRelease({ project: 'no-such-project' })).toEqual({
      status: 'unknown',
      kind: 'not-found',
      reason: 'PyPI has no project `no-such-project`',
    });
  });

  it('answers unknown on a server error', async () => {
    nock(PYPI).get('/pypi/numpy/json').reply(503, 'Service Unavailable');
    expect(await createPypiIndex().findRelease({ project: 'numpy' })).toEqual({
      status: 'unknown',
      kind: 'http-error',
      reason: 'PyPI answered 503 for `numpy`',
    });
  });

  it('answers unknown when PyPI is too slow', async () => {
    nock(PYPI).get('/pypi/numpy/json').delay(500).reply(200, release);
    const answer = await createPypiIndex({ timeoutMs: 50 }).findRelease({ project: 'numpy' });
    expect(answer).toMatchObject({ status: 'unknown', kind: 'timeout' });
    expect(answer.status === 'unknown' && answer.reason).toBe('PyPI did not answer within 50 ms for `numpy`');
  });

  it('answers unknown on a network error', async () => {
    nock(PYPI).get('/pypi/numpy/json').replyWithError('socket hang up');
    expect(await createPypiIndex().findRelease({ project: 'numpy' })).toMatchObject({ status: 'unknown', kind: 'network' });
  });

  it('answers unknown on malformed JSON', async () => {
    nock(PYPI).get('/pypi/numpy/json').reply(200, '{"info": {', { 'content-type': 'application/json' });
    expect(await createPypiIndex().findRelease({ project: 'numpy' })).toEqual({
      status: 'unknown',
      kind: 'malformed',
      reason: "PyPI's answer for `numpy` is not valid JSON",
    });
  });

  it('answers unknown on JSON of the wrong shape, naming the path', async () => {
    nock(PYPI).get('/pypi/numpy/json').reply(200, { info: { name: 'numpy', version: '2.4.2' }, urls: [{ filename: 42 }] });
    expect(await createPypiIndex().findRelease({ project: 'numpy' })).toEqual({
      status: 'unknown',
      kind: 'malformed',
      reason: "PyPI's answer for `numpy` has an unexpected shape at `urls.0.filename`",
    });
  });

  it('refuses a body over the size cap, declared or streamed', async () => {
    const huge = JSON.stringify({ ...release, padding: 'x'.repeat(200_000) });
    nock(PYPI).get('/pypi/numpy/json').reply(200, huge, { 'content-length': String(huge.length) });
    const declared = await createPypiIndex({ maxBytes: 100_000 }).findRelease({ project: 'numpy' });
    expect(declared).toMatchObject({ status: 'unknown', kind: 'too-large' });

    // Without a content-length header the cap applies while reading.
    nock(PYPI).get('/pypi/numpy/json').reply(200, huge);
    const streamed = await createPypiIndex({ maxBytes: 100_000 }).findRelease({ project: 'numpy' });
    expect(streamed).toMatchObject({ status: 'unknown', kind: 'too-large' });
  });

  it('rejects an invalid project name or version before any request', async () => {
    const seen: string[] = [];
    const onRequest = (req: { path: string }): void => {
      seen.push(req.path);
    };
    nock.emitter.on('no match', onRequest);
    try {
      const index = createPypiIndex();
      expect(await index.findRelease({ project: '../admin' })).toEqual({
        status: 'unknown',
        kind: 'invalid-name',
        reason: '`../admin` is not a valid project name',
      });
      expect(await index.findRelease({ project: 'numpy', version: '1.0/../../x' })).toMatchObject({ kind: 'invalid-version' });
      expect(await index.findRelease({ project: '-numpy' })).toMatchObject({ kind: 'invalid-name' });
    } finally {
      nock.emitter.off('no match', onRequest);
    }
    expect(seen).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('caches successes until the TTL runs out, on the injected clock', async () => {
    let now = 1_000;
    const clock = { now: () => now };
    const index = createPypiIndex({ clock, ttlMs: 60_000 });
    const first = nock(PYPI).get('/pypi/psutil/json').once().reply(200, release);
    await index.findRelease({ project: 'psutil' });
    expect(first.isDone()).toBe(true);

    // Within the TTL: no request (none is mocked, so one would fail).
    now += 59_000;
    expect(await index.findRelease({ project: 'PSUTIL' })).toMatchObject({ status: 'ok' });

    now += 2_000;
    const second = nock(PYPI).get('/pypi/psutil/json').reply(200, { ...release, info: { name: 'psutil', version: '7.1.3' } });
    expect(await index.findRelease({ project: 'psutil' })).toMatchObject({ version: '7.1.3' });
    expect(second.isDone()).toBe(true);
  });

  it('keeps at most `maxCacheBytes` of answers cached, dropping the oldest', async () => {
    const page = (name: string) => ({ ...release, info: { ...release.info, name }, padding: 'x'.repeat(1000) });
    const size = JSON.stringify(page('aaa')).length;
    const scope = nock(PYPI)
      .get('/pypi/aaa/json').reply(200, page('aaa'))
      .get('/pypi/bbb/json').reply(200, page('bbb'))
      .get('/pypi/aaa/json').reply(200, page('aaa'))
      .get('/pypi/bbb/json').reply(200, page('bbb'));
    // Room for one answer: asking for `bbb` evicts `aaa`, and so on.
    const index = createPypiIndex({ maxCacheBytes: size + 10 });
    for (const project of ['aaa', 'bbb', 'aaa', 'bbb']) expect(await index.findRelease({ project })).toMatchObject({ status: 'ok', project });
    // The last answer is still cached: no fifth request.
    expect(await index.findRelease({ project: 'bbb' })).toMatchObject({ status: 'ok', project: 'bbb' });
    expect(scope.pendingMocks()).toEqual([]);
  });

  it('does not cache server errors', async () => {
    const index = createPypiIndex();
    nock(PYPI).get('/pypi/numpy/json').reply(500);
    expect(await index.findRelease({ project: 'numpy' })).toMatchObject({ kind: 'http-error' });
    nock(PYPI).get('/pypi/numpy/json').reply(200, release);
    expect(await index.findRelease({ project: 'numpy' })).toMatchObject({ status: 'ok' });
  });

  it('uses an injected fetch', async () => {
    const urls: string[] = [];
    const fakeFetch: typeof fetch = (input) => {
      urls.push(String(input));
      return Promise.resolve(new Response(JSON.stringify(release), { status: 200 }));
    };
    const answer = await createPypiIndex({ fetch: fakeFetch }).findRelease({ project: 'psutil', version: '7.1.2' });
    expect(answer.status).toBe('ok');
    expect(urls).toEqual(['https://pypi.org/pypi/psutil/7.1.2/json']);
  });

  describe('findReleases', () => {
    const history = {
      info: { name: 'psutil', version: '7.1.2' },
      urls: [{ filename: 'psutil-7.1.2-cp314-cp314t-win_amd64.whl', packagetype: 'bdist_wheel', yanked: false }],
      releases: {
        '7.1.1': [{ filename: 'psutil-7.1.1.tar.gz', packagetype: 'sdist', yanked: true }],
        '7.1.2': [{ filename: 'psutil-7.1.2-cp314-cp314t-win_amd64.whl', packagetype: 'bdist_wheel', yanked: false }],
      },
    };

    it('lists every release from the project page', async () => {
      nock(PYPI).get('/pypi/psutil/json').reply(200, history);
      expect(await createPypiIndex().findReleases?.({ project: 'psutil' })).toEqual({
        status: 'ok',
        project: 'psutil',
        releases: [
          { version: '7.1.1', files: [{ filename: 'psutil-7.1.1.tar.gz', packageType: 'sdist', yanked: true }] },
          { version: '7.1.2', files: [{ filename: 'psutil-7.1.2-cp314-cp314t-win_amd64.whl', packageType: 'bdist_wheel', yanked: false }] },
        ],
      });
    });

    it('answers the latest release and the history with one request', async () => {
      const scope = nock(PYPI).get('/pypi/psutil/json').once().reply(200, history);
      const index = createPypiIndex();
      expect(await index.findRelease({ project: 'psutil' })).toMatchObject({ status: 'ok', version: '7.1.2' });
      expect(await index.findReleases?.({ project: 'PSUTIL' })).toMatchObject({ status: 'ok', project: 'psutil' });
      expect(scope.isDone()).toBe(true);
    });

    it('keeps the latest release when the releases map has an odd shape', async () => {
      nock(PYPI).get('/pypi/psutil/json').reply(200, { ...history, releases: { '7.1.2': 'oops' } });
      const index = createPypiIndex();
      expect(await index.findRelease({ project: 'psutil' })).toMatchObject({ status: 'ok', version: '7.1.2' });
      expect(await index.findReleases?.({ project: 'psutil' })).toEqual({
        status: 'unknown',
        kind: 'malformed',
        reason: "PyPI's answer for `psutil` lists no releases",
      });
    });

    it('passes on 404 and invalid names as unknown', async () => {
      nock(PYPI).get('/pypi/nope/json').reply(404);
      const index = createPypiIndex();
      expect(await index.findReleases?.({ project: 'nope' })).toMatchObject({ status: 'unknown', kind: 'not-found' });
      expect(await index.findReleases?.({ project: '../x' })).toMatchObject({ status: 'unknown', kind: 'invalid-name' });
    });
  });
});

describe('createPypiIndex with a mirror URL that holds credentials', () => {
  it('sends them as a Basic header and never puts them in a URL or a reason', async () => {
    const auth = `Basic ${Buffer.from('user:s3cr3t-token').toString('base64')}`;
    const scope = nock('https://mirror.example', { reqheaders: { authorization: auth } }).get('/simple-root/pypi/psutil/json').reply(200, release);
    const index = createPypiIndex({ baseUrl: 'https://user:s3cr3t-token@mirror.example/simple-root/' });
    const answer = await index.findRelease({ project: 'psutil' });
    expect(answer.status).toBe('ok');
    expect(scope.isDone()).toBe(true);
    nock('https://mirror.example').get('/simple-root/pypi/numpy/json').replyWithError('connect ECONNREFUSED https://user:s3cr3t-token@mirror.example');
    const failed = await index.findRelease({ project: 'numpy' });
    expect(JSON.stringify(failed)).not.toContain('s3cr3t');
    expect(failed).toMatchObject({ status: 'unknown', kind: 'network' });
  });
});

describe('createPypiIndex name bound (L11)', () => {
  it('refuses a 60,000-character name without a request, quoting at most 100 characters of it', async () => {
    const answer = await createPypiIndex().findRelease({ project: 'a'.repeat(60_000) });
    expect(answer).toMatchObject({ status: 'unknown', kind: 'invalid-name' });
    expect(JSON.stringify(answer).length).toBeLessThan(400);
  });
});
