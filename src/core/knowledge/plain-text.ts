/**
 * Renders mdast nodes as plain text for indexing and excerpts: block nodes on their own lines, inline
 * nodes run together, code blocks kept verbatim, inline code kept in backticks (so excerpts and
 * answers still read as Markdown), table cells joined with ` | `, raw HTML (comments, anchors)
 * dropped.
 *
 * Example: "- Use `PyDict_GetItemRef`\n- Lock with **critical sections**" →
 * "Use `PyDict_GetItemRef`\nLock with critical sections"
 * (`mdast-util-to-string` would give "Use PyDict_GetItemRefLock with critical sections".)
 */
import type { Nodes } from 'mdast';

const BLOCK_CONTAINERS = new Set(['root', 'blockquote', 'list', 'listItem', 'footnoteDefinition']);

/**
 * Returns the plain text of `node`.
 *
 * @param node
 *   Any mdast node.
 * @param options.ticks
 *   Keep inline code in backticks (default true); headings are rendered without them.
 */
export function plainText(node: Nodes, options: { ticks?: boolean } = {}): string {
  const ticks = options.ticks ?? true;
  switch (node.type) {
    case 'text':
    case 'code':
      return node.value;
    case 'inlineCode':
      return ticks ? `\`${node.value}\`` : node.value;
    case 'html':
    case 'definition':
    case 'thematicBreak':
    case 'footnoteReference':
    case 'imageReference':
      return '';
    case 'break':
      return '\n';
    case 'image':
      return node.alt ?? '';
    case 'table':
      return node.children
        .map((row) => row.children.map((cell) => plainText(cell, options).trim()).join(' | '))
        .join('\n');
    default:
      break;
  }
  if (!('children' in node)) return '';
  const parts = (node.children as Nodes[]).map((child) => plainText(child, options));
  return BLOCK_CONTAINERS.has(node.type) ? parts.filter((part) => part.trim() !== '').join('\n') : parts.join('');
}
