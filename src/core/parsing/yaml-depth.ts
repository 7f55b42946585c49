/**
 * The `yaml` package parses nested collections recursively and has no depth limit. Past about a
 * thousand levels it runs out of stack, and the next regular expression V8 compiles on that deep
 * stack aborts the whole process ("RegExpCompiler Allocation failed"): a workflow of 100,000 `[`
 * or `- ` would bring the app down. Texts that may nest deeper than this are refused before they
 * are parsed (js-yaml, which Probot uses for the app's config, stops at the same depth).
 */
export const MAX_YAML_DEPTH = 100;

/**
 * An upper bound on how deep a YAML text nests, read in one pass: open flow brackets (`[`, `{`,
 * counted everywhere, quotes included, so the bound never undercounts), the block indentation
 * levels around each line, and the `- `, `? ` and `: ` indicators that open nested collections
 * at the start of a line (`- - - x`).
 */
export function yamlDepthBound(text: string): number {
  let flow = 0;
  let deepest = 0;
  const indents: number[] = [];
  let i = 0;
  while (i < text.length) {
    let end = text.indexOf('\n', i);
    if (end < 0) end = text.length;
    let at = i;
    while (at < end && (text[at] === ' ' || text[at] === '\t')) at++;
    let depth = 0;
    if (at < end && text[at] !== '#') {
      const indent = at - i;
      while (indents.length > 0 && (indents.at(-1) ?? 0) > indent) indents.pop();
      if (indents.length === 0 || (indents.at(-1) ?? 0) < indent) indents.push(indent);
      // Indicators that open a collection each: `- - ? x`.
      while (at < end && '-?:'.includes(text[at] ?? '') && (at + 1 === end || text[at + 1] === ' ' || text[at + 1] === '\t')) {
        depth++;
        at += 2;
        while (at < end && (text[at] === ' ' || text[at] === '\t')) at++;
      }
      depth += indents.length;
    }
    let lineFlow = flow;
    for (let k = i; k < end; k++) {
      const c = text[k];
      if (c === '[' || c === '{') lineFlow = Math.max(lineFlow, ++flow);
      else if ((c === ']' || c === '}') && flow > 0) flow--;
    }
    deepest = Math.max(deepest, depth + lineFlow);
    i = end + 1;
  }
  return deepest;
}

/** A sentence saying why `text` is not parsed, or undefined when it is shallow enough to parse. */
export function yamlTooDeep(text: string): string | undefined {
  return yamlDepthBound(text) > MAX_YAML_DEPTH ? `the YAML nests deeper than ${MAX_YAML_DEPTH} levels` : undefined;
}
