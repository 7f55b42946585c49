import { Parser, type Language, type Node, type Range, type Tree } from 'web-tree-sitter';
import type { SourceLanguage } from '../languages.js';
import { gapSpansHolding, segmentsContaining, splitTopLevelSegments, withGapSpans, type Segment } from '../parsing/c-segments.js';
import type { Hit, Rule } from './define-rule.js';
import type { LineIndex } from './create-finding.js';
import type { PrefilterResult } from './prefilter.js';

/**
 * Loaded tree-sitter grammars, handed in by the shell (loading them is I/O). A shell may load only
 * the grammars of the languages present; files of a language without a grammar are reported as
 * `unsupported-language` diagnostics.
 */
export type Grammars = { c?: Language; cpp?: Language; python?: Language; rust?: Language };

/** One tree-sitter parser per language, created on first use and reused for every file of a scan. */
export type Parsers = {
  has: (language: SourceLanguage) => boolean;
  parse: (language: SourceLanguage, text: string, ranges?: Range[]) => Tree | null;
};

const nonCodeNodeTypes = new Set([
  'comment',
  'line_comment',
  'block_comment',
  'string_literal',
  'string_content',
  'string',
  'char_literal',
  'raw_string_literal',
  'system_lib_string',
  'preproc_arg',
  'escape_sequence',
]);

export function createParsers(grammars: Grammars): Parsers {
  const parsers = new Map<SourceLanguage, Parser>();
  const grammarFor: Record<SourceLanguage, Language | undefined> = {
    c: grammars.c,
    cpp: grammars.cpp,
    cython: grammars.python,
    rust: grammars.rust,
  };
  return {
    has: (language) => grammarFor[language] !== undefined,
    parse(language, text, ranges) {
      let parser = parsers.get(language);
      if (parser === undefined) {
        parser = new Parser();
        parser.setLanguage(grammarFor[language] ?? null);
        parsers.set(language, parser);
      }
      return parser.parse(text, null, ranges === undefined ? undefined : { includedRanges: ranges });
    },
  };
}

/** A parsed file: the tree (the caller deletes it) and each rule's hits resolved to syntax nodes. */
export type ParsedSource = {
  tree: Tree;
  /** Code units handed to tree-sitter (segments only, where segment parsing applied). */
  parsedLength: number;
  /** Each rule's trigger hits that sit in code, plus an empty list for rules with prefilter offsets only. */
  hits: Map<Rule, Hit[]>;
};

/**
 * Phase 3, parse: parses what the rules need and resolves each prefilter hit to its syntax node.
 * For C and C++ only the top-level segments (functions, declarations) holding an offset are
 * parsed, as included ranges of one tree. Returns undefined when tree-sitter gives no tree.
 */
export function parseSource(params: {
  language: SourceLanguage;
  text: string;
  found: PrefilterResult;
  parsers: Parsers;
  lineIndex: () => LineIndex;
  /** Parse the whole file even where segments would do (the differential test). */
  wholeFiles?: boolean;
}): ParsedSource | undefined {
  const { language, text, found, parsers } = params;
  let ranges: Range[] | undefined;
  let parsedLength = text.length;
  if ((language === 'c' || language === 'cpp') && params.wholeFiles !== true) {
    const split = splitTopLevelSegments(text);
    // When no segment holds an offset (empty ranges would make tree-sitter parse the whole file),
    // the comments and macro definitions that hold them; the whole file when they are elsewhere.
    let segments: Segment[] | undefined = split.balanced ? segmentsContaining(split, found.treeOffsets) : undefined;
    // Without them a hit in a macro between two functions reached the rules only when no other hit
    // of the file sat in a function, so a finding came and went with unrelated code.
    if (segments?.length === 0) segments = gapSpansHolding(text, split, found.treeOffsets);
    else if (segments !== undefined) segments = withGapSpans(text, split, segments, found.treeOffsets);
    if (segments !== undefined && segments.length > 0) {
      const lineIndex = params.lineIndex();
      parsedLength = segments.reduce((sum, s) => sum + (s.end - s.start), 0);
      ranges = segments.map((s) => {
        const a = lineIndex(s.start);
        const b = lineIndex(s.end);
        return {
          startIndex: s.start,
          endIndex: s.end,
          startPosition: { row: a.line - 1, column: a.column - 1 },
          endPosition: { row: b.line - 1, column: b.column - 1 },
        };
      });
    }
  }
  const tree = parsers.parse(language, text, ranges);
  if (tree === null) return undefined;
  const root = tree.rootNode;
  const hits = new Map<Rule, Hit[]>();
  try {
    for (const [rule, list] of found.triggers) {
      const resolved: Hit[] = [];
      for (const hit of list) {
        const resolvedHit = resolveHit(root, hit.name, hit.index);
        if (resolvedHit !== undefined) resolved.push(resolvedHit);
      }
      hits.set(rule, resolved);
    }
  } catch (error) {
    // WASM trees live outside the JS heap and leak unless deleted.
    tree.delete();
    throw error;
  }
  for (const rule of found.prefiltered.keys()) if (!hits.has(rule)) hits.set(rule, []);
  return { tree, parsedLength, hits };
}

/**
 * Maps a regex hit to its identifier node. Hits inside comments, strings and macro bodies are
 * dropped; a hit inside a region tree-sitter could not parse (an ERROR node) is kept without a
 * node when the text reads as a call, so error recovery never hides a finding.
 */
function resolveHit(root: Node, name: string, index: number): Hit | undefined {
  const node = root.descendantForIndex(index, index + name.length);
  if (node === null) return undefined;
  // Macro bodies are raw text to tree-sitter; the rules decide whether such a hit counts.
  if (node.type === 'preproc_arg') return { name, index, node: undefined, context: 'macro' };
  if (nonCodeNodeTypes.has(node.type)) return undefined;
  if (node.text === name && (node.type === 'identifier' || node.type.endsWith('_identifier'))) {
    return { name, index, node, context: 'code' };
  }
  for (let a: Node | null = node; a !== null; a = a.parent) {
    if (nonCodeNodeTypes.has(a.type)) return undefined;
    if (a.type === 'ERROR') return { name, index, node: undefined, context: 'error' };
  }
  return undefined;
}

/**
 * Hits for a file that is not parsed (a build file, or a source where only rules with `needsTree:
 * false` found something): every trigger occurrence counts, without a node.
 */
export function unparsedHits(found: PrefilterResult): Map<Rule, Hit[]> {
  const hits = new Map<Rule, Hit[]>();
  for (const [rule, list] of found.triggers) hits.set(rule, list.map((h) => ({ ...h, node: undefined, context: 'code' as const })));
  for (const rule of found.prefiltered.keys()) if (!hits.has(rule)) hits.set(rule, []);
  return hits;
}
