/**
 * Splits one knowledge page or rule doc into heading-scoped chunks. H2 and H3 headings start a
 * chunk; text before the first H2 is the page intro; H4 and deeper stay inside their section.
 */
import type { Heading, Nodes, Root, RootContent } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { extractIdentifiers } from './extract-identifiers.js';
import { splitFrontMatter, type FrontMatterFields } from './front-matter.js';
import { plainText } from './plain-text.js';
import { createSlugger } from './slugger.js';
import type { ChunkBlock, KnowledgeChunk, KnowledgeProblem } from './types.js';

export type ChunkMarkdownResult = {
  chunks: KnowledgeChunk[];
  problems: KnowledgeProblem[];
};

type Section = {
  heading: Heading | undefined;
  headingText: string;
  anchor: string;
  headingPath: string[];
  nodes: RootContent[];
};

const parser = unified().use(remarkParse).use(remarkGfm);

/**
 * Chunks a Markdown page. Never throws for bad input: a missing or invalid front matter, a page
 * without a title or an empty file comes back in `problems`, and the page is chunked anyway.
 *
 * @param params.path
 *   Path from the repository root (`knowledge/borrowed-references.md`); becomes each chunk's `page`.
 * @param params.text
 *   The page's Markdown, front matter included.
 * @returns
 *   Chunks in page order, and the problems found.
 *
 * @example
 *   chunkMarkdown({ path: 'knowledge/x.md', text: '---\ntitle: X\n…\n---\n# X\n\nIntro.\n\n## Use `PyMutex`\n…' })
 *   // → chunks with ids 'knowledge/x.md#x' (intro) and 'knowledge/x.md#use-pymutex'
 */
export function chunkMarkdown(params: { path: string; text: string }): ChunkMarkdownResult {
  // 1. Split off and validate the front matter.
  // 2. Parse the body with remark (GFM tables, task lists, strikethrough).
  // 3. Give every heading its GitHub anchor, in document order (so duplicates get -1, -2 as on GitHub).
  // 4. Group the top-level nodes into sections at H2/H3 boundaries.
  // 5. Turn each non-empty section into a chunk with the page-level fields.
  const path = params.path;
  // Windows line endings would leave `\r` in every chunk's text.
  const text = params.text.replace(/\r\n?/g, '\n');
  const front = splitFrontMatter({ path, text });
  const problems = [...front.problems];
  if (text.trim() === '') {
    return { chunks: [], problems: [{ kind: 'empty', path, message: 'page is empty' }] };
  }

  const tree = parser.parse(front.body);

  const slugger = createSlugger();
  const anchors = new Map<Heading, string>();
  visitHeadings(tree, (heading) => anchors.set(heading, slugger.slug(plainText(heading, { ticks: false }).trim())));

  const h1 = tree.children.find((node): node is Heading => node.type === 'heading' && node.depth === 1);
  const h1Text = h1 ? plainText(h1, { ticks: false }).trim() : undefined;
  const title = front.fields.title ?? h1Text ?? fallbackTitle(path);
  if (front.fields.title === undefined && h1Text === undefined) {
    problems.push({ kind: 'title-missing', path, message: 'page has neither a front matter `title` nor an H1' });
  }
  const pageHeading = h1Text ?? title;

  const sections = splitSections({ tree, h1, anchors, pageHeading });
  const upstream = front.fields.upstream ?? findReferenceLink(sections) ?? '';
  const chunks: KnowledgeChunk[] = [];
  for (const [position, section] of sections.entries()) {
    let body = section.nodes
      .map((node) => plainText(node).trim())
      .filter((part) => part !== '')
      .join('\n\n');
    if (position === 0 && body === '' && front.fields.summary !== undefined) body = front.fields.summary;
    if (body === '' && position === 0) continue;
    chunks.push({ ...toChunk({ path, section, text: body, title, fields: front.fields, upstream }), blocks: toBlocks(section.nodes) });
  }
  return { chunks, problems };
}

/**
 * The section's top-level nodes as quotable Markdown blocks. Example: a paragraph, a two-item list
 * and a `c` code block → [{ kind: 'prose', … }, { kind: 'list', text: '- a\n- b' },
 * { kind: 'code', text: '…', lang: 'c' }]. H4+ headings become bold prose; HTML and empty nodes are
 * dropped.
 */
function toBlocks(nodes: readonly RootContent[]): ChunkBlock[] {
  const blocks: ChunkBlock[] = [];
  for (const node of nodes) {
    if (node.type === 'code') {
      blocks.push({ kind: 'code', text: node.value, lang: node.lang ?? '' });
    } else if (node.type === 'list') {
      const items = node.children.map((item, position) => {
        const marker = node.ordered === true ? `${(node.start ?? 1) + position}.` : '-';
        return `${marker} ${plainText(item).trim().replace(/\n+/g, ' ')}`;
      });
      blocks.push({ kind: 'list', text: items.join('\n') });
    } else if (node.type === 'table') {
      blocks.push({ kind: 'table', text: plainText(node).trim() });
    } else if (node.type === 'heading') {
      const heading = plainText(node).trim();
      if (heading !== '') blocks.push({ kind: 'prose', text: `**${heading}**` });
    } else {
      const text = plainText(node).trim();
      if (text !== '') blocks.push({ kind: 'prose', text });
    }
  }
  return blocks;
}

function splitSections(params: {
  tree: Root;
  h1: Heading | undefined;
  anchors: Map<Heading, string>;
  pageHeading: string;
}): Section[] {
  const { tree, h1, anchors, pageHeading } = params;
  const intro: Section = {
    heading: h1,
    headingText: pageHeading,
    anchor: h1 ? (anchors.get(h1) ?? '') : '',
    headingPath: [pageHeading],
    nodes: [],
  };
  const sections: Section[] = [intro];
  let current = intro;
  let h2Text: string | undefined;
  for (const node of tree.children) {
    if (node === h1) continue;
    // Any other H1 is treated like an H2, so its text is not swallowed by the previous section.
    if (node.type === 'heading' && node.depth <= 3) {
      const headingText = plainText(node, { ticks: false }).trim();
      if (node.depth <= 2) h2Text = headingText;
      const headingPath =
        node.depth <= 2 || h2Text === undefined ? [pageHeading, headingText] : [pageHeading, h2Text, headingText];
      current = { heading: node, headingText, anchor: anchors.get(node) ?? '', headingPath, nodes: [] };
      sections.push(current);
      continue;
    }
    current.nodes.push(node);
  }
  return sections;
}

function toChunk(params: {
  path: string;
  section: Section;
  text: string;
  title: string;
  fields: FrontMatterFields;
  upstream: string;
}): KnowledgeChunk {
  const { path, section, text, title, fields, upstream } = params;
  return {
    id: section.anchor === '' ? path : `${path}#${section.anchor}`,
    page: path,
    anchor: section.anchor,
    heading: section.headingText,
    headingPath: section.headingPath,
    title,
    text,
    identifiers: findIdentifiers(section, text),
    apis: fields.apis,
    tags: fields.tags,
    rules: fields.rules,
    upstream,
  };
}

/**
 * Code names of a section: identifier-like words anywhere in its heading and text, plus every
 * one-word inline code span (so `cpython-freethreading` counts although prose words like
 * "free-threaded" do not).
 */
function findIdentifiers(section: Section, text: string): string[] {
  const found = extractIdentifiers(`${section.headingText}\n${text}`);
  const seen = new Set(found);
  const spans: string[] = [];
  for (const node of section.heading ? [section.heading, ...section.nodes] : section.nodes) {
    visit(node, (child) => {
      if (child.type === 'inlineCode') spans.push(child.value.trim().replace(/\(\)$/, ''));
    });
  }
  for (const span of spans) {
    if (span.length < 3 || span.length > 60 || /\s/.test(span) || !/[A-Za-z]/.test(span) || seen.has(span)) continue;
    seen.add(span);
    found.push(span);
  }
  return found;
}

/** Rule docs have no `upstream` field; their first external link under "References" stands in. */
function findReferenceLink(sections: Section[]): string | undefined {
  const references = sections.find((section) => /^references$/i.test(section.headingText));
  if (!references) return undefined;
  let found: string | undefined;
  for (const node of references.nodes) {
    visit(node, (child) => {
      if (found === undefined && child.type === 'link' && /^https?:\/\//.test(child.url)) found = child.url;
    });
  }
  return found;
}

function visitHeadings(tree: Root, onHeading: (heading: Heading) => void): void {
  visit(tree, (node) => {
    if (node.type === 'heading') onHeading(node);
  });
}

function visit(node: Nodes, onNode: (node: Nodes) => void): void {
  onNode(node);
  if ('children' in node) for (const child of node.children as Nodes[]) visit(child, onNode);
}

function fallbackTitle(path: string): string {
  const name = path.split('/').pop() ?? path;
  return name.replace(/\.md$/, '');
}
