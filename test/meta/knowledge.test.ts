import { existsSync, readFileSync } from 'node:fs';
import type { Heading, Link, Nodes } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { beforeAll, describe, expect, it } from 'vitest';
import { chunkMarkdown } from '../../src/core/knowledge/chunk-markdown.js';
import { splitFrontMatter } from '../../src/core/knowledge/front-matter.js';
import { plainText } from '../../src/core/knowledge/plain-text.js';
import { renderIndexFile } from '../../src/core/knowledge/render-index-file.js';
import { createSlugger } from '../../src/core/knowledge/slugger.js';
import type { SourceFile } from '../../src/core/ports.js';
import { INDEX_PATH, readKnowledgeSources } from '../../scripts/generate-knowledge.js';

const ROOT = new URL('../../', import.meta.url);
const parser = unified().use(remarkParse).use(remarkGfm);

let sources: SourceFile[] = [];
/** Parsed once: the pages' bodies and their chunking results, in the order of `sources`. */
let trees: Nodes[] = [];
let chunked: Array<ReturnType<typeof chunkMarkdown>> = [];
/** Every heading anchor of every page (H1 to H6, as GitHub renders them), by page path. */
const anchorsByPage = new Map<string, Set<string>>();

function visit(node: Nodes, onNode: (node: Nodes) => void): void {
  onNode(node);
  if ('children' in node) for (const child of node.children as Nodes[]) visit(child, onNode);
}

function parseBody(file: SourceFile): Nodes {
  return parser.parse(splitFrontMatter({ path: file.path, text: file.text.replace(/\r\n?/g, '\n') }).body);
}

/** `knowledge/a.md` + `../docs/rules/ft001-x.md` → `docs/rules/ft001-x.md`. */
function resolveRelative(from: string, target: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const segment of target.split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.' && segment !== '') parts.push(segment);
  }
  return parts.join('/');
}

/** Rule ids registered in `src/core/rules/index.ts`, or undefined while there is no registry. */
async function registeredRuleIds(): Promise<string[] | undefined> {
  if (!existsSync(new URL('src/core/rules/index.ts', ROOT))) return undefined;
  const registry = (await import('../../src/core/rules/index.js')) as { rules?: ReadonlyArray<{ meta: { id: string } }> };
  return registry.rules?.map((rule) => rule.meta.id);
}

beforeAll(async () => {
  sources = await readKnowledgeSources();
  trees = sources.map((file) => parseBody(file));
  chunked = sources.map((file) => chunkMarkdown(file));
  for (const [position, file] of sources.entries()) {
    const slugger = createSlugger();
    const anchors = new Set<string>();
    visit(trees[position] as Nodes, (node) => {
      if (node.type === 'heading') anchors.add(slugger.slug(plainText(node as Heading, { ticks: false }).trim()));
    });
    anchorsByPage.set(file.path, anchors);
  }
  // Parsing every page takes seconds on a loaded 2-core machine: more than the 10 s hook default.
}, 60_000);

describe('knowledge base', () => {
  it('has pages', () => {
    expect(sources.filter((file) => file.path.startsWith('knowledge/')).length).toBeGreaterThan(0);
  });

  it('every page has a complete, valid front matter and a title', () => {
    const problems = chunked.flatMap((result) => result.problems.map((problem) => `${problem.path}: ${problem.message}`));
    expect(problems).toEqual([]);
  });

  it('every page has exactly one H1', () => {
    const wrong = sources.filter((_file, position) => {
      let count = 0;
      visit(trees[position] as Nodes, (node) => {
        if (node.type === 'heading' && node.depth === 1) count += 1;
      });
      return count !== 1;
    });
    expect(wrong.map((file) => file.path)).toEqual([]);
  });

  it('chunk ids are unique across the knowledge base', () => {
    const ids = chunked.flatMap((result) => result.chunks.map((chunk) => chunk.id));
    expect(ids.filter((id, position) => ids.indexOf(id) !== position)).toEqual([]);
  });

  it('every relative link resolves to an existing page and anchor', () => {
    const broken: string[] = [];
    for (const [position, file] of sources.entries()) {
      visit(trees[position] as Nodes, (node) => {
        if (node.type !== 'link') return;
        const url = (node as Link).url;
        if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) return;
        const [target = '', anchor] = url.split('#');
        const page = target === '' ? file.path : resolveRelative(file.path, decodeURI(target));
        if (!page.endsWith('.md')) {
          if (!existsSync(new URL(page, ROOT))) broken.push(`${file.path}: ${url} (no such file)`);
          return;
        }
        const anchors = anchorsByPage.get(page) ?? (existsSync(new URL(page, ROOT)) ? new Set<string>() : undefined);
        if (anchors === undefined) broken.push(`${file.path}: ${url} (no such page)`);
        else if (anchor !== undefined && anchor !== '' && !anchors.has(decodeURIComponent(anchor))) {
          broken.push(`${file.path}: ${url} (no such anchor)`);
        }
      });
    }
    expect(broken).toEqual([]);
  });

  it(`${INDEX_PATH} is fresh (run \`npm run generate\` when this fails)`, () => {
    const committed = readFileSync(new URL(INDEX_PATH, ROOT), 'utf8');
    expect(renderIndexFile(sources).text === committed).toBe(true);
  });

  it('every registered rule is explained by some knowledge page', async () => {
    const registered = await registeredRuleIds();
    const documented = sources
      .filter((file) => file.path.startsWith('docs/rules/'))
      .map((file) => /ft\d{3}/i.exec(file.path)?.[0].toUpperCase())
      .filter((id): id is string => id !== undefined);
    const expected = registered ?? documented;
    const explained = new Set(
      sources.filter((file) => file.path.startsWith('knowledge/')).flatMap((file) => splitFrontMatter(file).fields.rules),
    );
    expect(expected.filter((id) => !explained.has(id))).toEqual([]);
  });

  it('pages list no rule id that falls in a gap of the registry', async () => {
    // Ids above the highest registered one may belong to rules not written yet, so they are skipped.
    const registered = await registeredRuleIds();
    if (registered === undefined || registered.length === 0) return;
    const known = new Set(registered);
    const highest = [...known].sort().at(-1) ?? '';
    const unknown = sources.flatMap((file) =>
      splitFrontMatter(file)
        .fields.rules.filter((id) => !known.has(id) && id < highest)
        .map((id) => `${file.path}: ${id}`),
    );
    expect(unknown).toEqual([]);
  });
});
