/**
 * Front matter of knowledge pages and rule docs: split off, parsed as YAML, checked with zod.
 * Trouble is returned as `KnowledgeProblem`s, never thrown; whatever fields are usable are kept.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { KnowledgeProblem } from './types.js';

/** Numbers in YAML (`python: [3.13, 3.14]`) are read as strings; `3.10` would otherwise become 3.1. */
const versionList = z.array(z.union([z.string(), z.number()]).transform(String));
const stringList = z.array(z.string().min(1));
const isoDate = z.union([
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date like 2026-01-31'),
  z.date().transform((date) => date.toISOString().slice(0, 10)),
]);

/** Front matter of a page in `knowledge/`. Every field is required. */
export const pageFrontMatterSchema = z.object({
  title: z.string().min(1),
  summary: z.string().min(1),
  tags: stringList,
  apis: stringList,
  python: versionList,
  rules: z.array(z.string().regex(/^FT\d{3}$/, 'expected a rule id like FT001')),
  upstream: z.url(),
  last_reviewed: isoDate,
  sources: stringList.min(1),
});

/** Front matter of a rule doc in `docs/rules/`: `id` and `title`; the page fields are optional. */
export const ruleDocFrontMatterSchema = z.object({
  id: z.string().regex(/^FT\d{3}$/, 'expected a rule id like FT001'),
  title: z.string().min(1),
  tags: stringList.optional(),
  apis: stringList.optional(),
  upstream: z.url().optional(),
});

/** The fields chunking needs, whichever schema the page follows. */
export type FrontMatterFields = {
  title?: string;
  summary?: string;
  tags: string[];
  apis: string[];
  rules: string[];
  upstream?: string;
};

export type SplitFrontMatter = {
  /** The page text after the front matter. */
  body: string;
  /** Number of lines the front matter takes, including both `---` fences. */
  lineCount: number;
  fields: FrontMatterFields;
  /** False when there was no front matter block at all. */
  present: boolean;
  problems: KnowledgeProblem[];
};

const RULE_ID = /^FT\d{3}$/;

const FENCED = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/**
 * Splits the YAML front matter off `text` and reads it.
 *
 * @param params.path
 *   Page path; decides the schema (`docs/rules/` → rule doc) and labels problems.
 * @param params.text
 *   The whole page.
 */
export function splitFrontMatter(params: { path: string; text: string }): SplitFrontMatter {
  const { path } = params;
  const text = params.text.replace(/^\uFEFF/, '');
  const empty: FrontMatterFields = { tags: [], apis: [], rules: [] };
  const match = FENCED.exec(text);
  if (!match) {
    const problems: KnowledgeProblem[] =
      text.trim() === '' ? [] : [{ kind: 'front-matter-missing', path, line: 1, message: 'page has no front matter' }];
    return { body: text, lineCount: 0, fields: empty, present: false, problems };
  }
  const block = match[0];
  const body = text.slice(block.length);
  const lineCount = block.split('\n').length - (block.endsWith('\n') ? 1 : 0);
  let data: unknown;
  try {
    data = parseYaml(match[1] ?? '');
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      body,
      lineCount,
      fields: empty,
      present: true,
      problems: [{ kind: 'front-matter-yaml', path, line: 1, message: `front matter is not valid YAML: ${reason}` }],
    };
  }
  const isRuleDoc = path.startsWith('docs/rules/');
  const schema = isRuleDoc ? ruleDocFrontMatterSchema : pageFrontMatterSchema;
  const parsed = schema.safeParse(data ?? {});
  const problems: KnowledgeProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({
        kind: 'front-matter-invalid' as const,
        path,
        line: 1,
        message: `front matter \`${issue.path.join('.') || '(root)'}\`: ${issue.message}`,
      }));
  return { body, lineCount, fields: readFields(data, isRuleDoc), present: true, problems };
}

/** Takes every field that has the right type, so one bad field does not blank the whole page. */
function readFields(data: unknown, isRuleDoc: boolean): FrontMatterFields {
  const record = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  const str = (key: string): string | undefined => {
    const value = record[key];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const list = (key: string): string[] => {
    const value = record[key];
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  };
  const id = str('id');
  const fields: FrontMatterFields = {
    tags: list('tags'),
    apis: list('apis'),
    rules: (isRuleDoc ? (id !== undefined ? [id] : []) : list('rules')).filter((rule) => RULE_ID.test(rule)),
  };
  const title = str('title');
  // A rule doc's title is the rule name ("borrowed-list-item"); citations read better with the id.
  if (title !== undefined) fields.title = isRuleDoc && id !== undefined && !title.includes(id) ? `${id}: ${title}` : title;
  const summary = str('summary');
  if (summary !== undefined) fields.summary = summary;
  const upstream = str('upstream');
  if (upstream !== undefined && /^https?:\/\/\S+$/.test(upstream)) fields.upstream = upstream;
  return fields;
}
