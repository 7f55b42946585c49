import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Document, type Node as YamlNode } from 'yaml';
import { yamlTooDeep } from '../parsing/yaml-depth.js';

/** Offset of the first match of `pattern` in `text`, or 0 (the file's start) when absent. */
export function offsetOf(text: string, pattern: RegExp): number {
  return pattern.exec(text)?.index ?? 0;
}

/**
 * A parsed workflow file. YAML errors are returned, never thrown (`${{ }}` in flow maps is one);
 * a text nesting deeper than `MAX_YAML_DEPTH` is refused unparsed, as an error.
 */
export function parseWorkflow(text: string): { doc: Document | undefined; error: string | undefined } {
  const tooDeep = yamlTooDeep(text);
  if (tooDeep !== undefined) return { doc: undefined, error: tooDeep };
  const lineCounter = new LineCounter();
  // uniqueKeys off: real workflows repeat keys. Aliases are never expanded (toPlain skips them),
  // so an alias bomb costs nothing.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) return { doc: undefined, error: doc.errors[0]?.message.split('\n')[0] };
  return { doc, error: undefined };
}

/** The plain JavaScript value of a YAML node (scalars, sequences, maps), bounded in depth. */
export function toPlain(node: unknown, depth = 0): unknown {
  if (depth > 20 || node === null || node === undefined) return undefined;
  if (isScalar(node)) return node.value;
  if (isSeq(node)) return node.items.map((i) => toPlain(i, depth + 1));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key !== undefined) out[key] = toPlain(pair.value, depth + 1);
    }
    return out;
  }
  return undefined;
}

/** Start offset of a YAML node, or undefined. */
export function startOf(node: unknown): number | undefined {
  return (node as YamlNode | undefined)?.range?.[0];
}
