import type { IncomingMessage, ServerResponse } from 'node:http';
import { renderDocsHtml, renderDocsIndexHtml } from '../core/review/index.js';
import { listDocsPages, readDocsPage, type DocsFolder } from '../io/read-docs-page.js';

/**
 * Serves the rule pages and knowledge pages as HTML, so links in posted comments resolve when
 * `FTBOT_PUBLIC_URL` points at this server:
 *
 *   GET /docs/rules/                              → index of the rules
 *   GET /docs/rules/ft001-dict-get-item-borrowed  → the rule page (also with `.md`)
 *   GET /docs/knowledge/dict-borrowed-references.md#… → the knowledge page
 *   GET /knowledge/<page>.md                      → 301 to /docs/knowledge/<page>.md
 *
 * A Probot 14 request handler (`addHandler`): it returns false for any other path, so the next
 * handler answers. Pages are rendered once per process.
 */
export function createDocsHandler(): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const cache = new Map<string, Promise<string | undefined>>();
  const page = (folder: DocsFolder, name: string): Promise<string | undefined> => {
    const key = `${folder}/${name}`;
    let html = cache.get(key);
    if (html === undefined) {
      html =
        name === ''
          ? listDocsPages(folder).then(async (names) =>
              renderDocsIndexHtml({
                title: folder === 'rules' ? 'ftbot rules' : 'ftbot knowledge base',
                pages: await Promise.all(names.map(async (n) => ({ href: n, title: titleOf((await readDocsPage(folder, n))?.text ?? '') ?? n }))),
              }),
            )
          : readDocsPage(folder, name).then((p) => (p === undefined ? undefined : renderDocsHtml(p)));
      cache.set(key, html);
    }
    return html;
  };
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return false;
    }
    // Rule pages link knowledge pages as the repository lays them out (`../../knowledge/x.md`),
    // and so do links built from the docs base: send those to the served copy.
    const moved = /^\/knowledge\/([\w.-]+)$/.exec(path);
    if (moved !== null) {
      res.writeHead(301, { location: `/docs/knowledge/${moved[1] ?? ''}` }).end();
      return true;
    }
    const match = /^\/docs\/(rules|knowledge)(?:\/([\w.-]*))?$/.exec(path);
    if (match === null) return false;
    const folder = match[1] as DocsFolder;
    const name = (match[2] ?? '').replace(/\.md$/, '');
    // A folder without its slash would resolve the index's relative links one level too high.
    if (match[2] === undefined) {
      res.writeHead(301, { location: `/docs/${folder}/` }).end();
      return true;
    }
    const html = await page(folder, name);
    if (html === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('no such page\n');
      return true;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html), 'cache-control': 'public, max-age=3600' });
    res.end(req.method === 'HEAD' ? undefined : html);
    return true;
  };
}

function titleOf(markdown: string): string | undefined {
  return /^title:\s*(.+)$/m.exec(markdown)?.[1]?.trim().replace(/^["']|["']$/g, '');
}
