import type { Nodes } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { splitFrontMatter } from '../knowledge/front-matter.js';
import { plainText } from '../knowledge/plain-text.js';
import { createSlugger } from '../knowledge/slugger.js';

/**
 * Renders a rule page or knowledge page (Markdown with front matter) as a standalone HTML page,
 * for the app's `/docs/…` routes. Headings get the same anchors the knowledge index cites
 * (`#replacing-pydict_getitem-with-pydict_getitemref`), so posted links land on their section.
 * Raw HTML in the page is shown as text, never passed through; links keep only http(s), relative
 * and `#` targets, with `.md` links between pages kept working (the routes serve both forms).
 *
 * @example
 *   renderDocsHtml({ path: 'knowledge/faq.md', text: '---\ntitle: FAQ\n---\n# FAQ\n\nHi' })
 *   // → '<!doctype html>…<title>FAQ · ftbot</title>…<h1 id="faq">FAQ</h1>\n<p>Hi</p>…'
 */
export function renderDocsHtml(params: { path: string; text: string }): string {
  const split = splitFrontMatter(params);
  const tree = unified().use(remarkParse).use(remarkGfm).parse(split.body);
  const slugger = createSlugger();
  const title = split.fields.title ?? params.path;
  const render = (node: Nodes): string => {
    const inner = (): string => ('children' in node ? (node.children as Nodes[]).map(render).join('') : '');
    switch (node.type) {
      case 'root':
        return (node.children as Nodes[]).map((c) => `${render(c)}\n`).join('');
      case 'heading':
        return `<h${node.depth} id="${escape(slugger.slug(plainText(node, { ticks: false }).trim()))}">${inner()}</h${node.depth}>`;
      case 'paragraph':
        return `<p>${inner()}</p>`;
      case 'text':
        return escape(node.value);
      case 'emphasis':
        return `<em>${inner()}</em>`;
      case 'strong':
        return `<strong>${inner()}</strong>`;
      case 'delete':
        return `<del>${inner()}</del>`;
      case 'inlineCode':
        return `<code>${escape(node.value)}</code>`;
      case 'code':
        return `<pre><code${node.lang ? ` class="language-${escape(node.lang.replace(/[^\w-]/g, ''))}"` : ''}>${escape(node.value)}</code></pre>`;
      case 'break':
        return '<br>';
      case 'thematicBreak':
        return '<hr>';
      case 'blockquote':
        return `<blockquote>${inner()}</blockquote>`;
      case 'list':
        return node.ordered === true ? `<ol>${inner()}</ol>` : `<ul>${inner()}</ul>`;
      case 'listItem':
        return `<li>${(node.children as Nodes[]).map((c) => (c.type === 'paragraph' && node.spread !== true ? (c.children as Nodes[]).map(render).join('') : render(c))).join('')}</li>`;
      case 'link':
        return `<a href="${escape(safeHref(node.url))}">${inner()}</a>`;
      case 'image':
        return escape(node.alt ?? '');
      case 'table': {
        const [head, ...rows] = node.children;
        const cells = (row: typeof head, tag: 'th' | 'td'): string => (row === undefined ? '' : `<tr>${row.children.map((c) => `<${tag}>${(c.children as Nodes[]).map(render).join('')}</${tag}>`).join('')}</tr>`);
        return `<table><thead>${cells(head, 'th')}</thead><tbody>${rows.map((r) => cells(r, 'td')).join('')}</tbody></table>`;
      }
      case 'html':
        return escape(node.value);
      default:
        return inner();
    }
  };
  const body = render(tree);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escape(title)} · ftbot</title>`,
    '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}pre{background:#f6f8fa;padding:.75rem;overflow:auto}code{font-size:90%}table{border-collapse:collapse}th,td{border:1px solid #d0d7de;padding:.25rem .5rem}</style>',
    '</head><body>',
    `<nav><a href="../rules/">Rules</a> · <a href="../knowledge/">Knowledge base</a></nav>`,
    body,
    '</body></html>',
    '',
  ].join('\n');
}

/** An index page: one link per page, labelled with its title. */
export function renderDocsIndexHtml(params: { title: string; pages: ReadonlyArray<{ href: string; title: string }> }): string {
  const items = params.pages.map((p) => `<li><a href="${escape(safeHref(p.href))}">${escape(p.title)}</a></li>`).join('\n');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escape(params.title)} · ftbot</title></head><body>\n<h1>${escape(params.title)}</h1>\n<ul>\n${items}\n</ul>\n</body></html>\n`;
}

/** Keeps http(s), relative and fragment links; anything else (`javascript:`, `data:`) becomes `#`. */
function safeHref(url: string): string {
  if (/^https?:\/\//i.test(url) || url.startsWith('#')) return url;
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return '#';
  return url;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
