/**
 * The drafter that needs no model: per-rule templates, else the best knowledge section.
 */
import type { Grammars } from '../engine/scan-files.js';
import type { KnowledgeChunk } from '../knowledge/types.js';
import { ruleIdsIn } from '../rules/index.js';
import { rewriteAt, type TemplateName } from './c-rewrites.js';
import { toLineEdit } from './line-edit.js';
import { parseSource } from './parse-source.js';
import { leadSentences } from './sections.js';
import type { Draft, DraftOutcome, DraftProject, DraftRequest, Drafter } from './types.js';

/** Rules whose own fix is the draft (module declarations for each binding tool). */
const RULES_WITH_OWN_FIX = ruleIdsIn('module-declaration');
/** Rules with a C template. */
const TEMPLATE_RULES = new Set(['FT001', 'FT002', 'FT003', 'FT004', 'FT005', 'FT017']);

const TEMPLATE_TEXT: Record<TemplateName, (api: string, replacement: string) => string> = {
  'dict-get-item-ref': (api, replacement) =>
    `Replace \`${api}\` with \`${replacement}\`, which stores a strong reference in its last argument and returns \`1\` (found), \`0\` (missing, the variable is NULL) or \`-1\` (error, exception set). The error result returns from the function, and the new reference is released with \`Py_XDECREF\` on every path that does not return it.`,
  'list-get-item-ref': (api, replacement) =>
    `Replace \`${api}\` with \`${replacement}\`, which returns a strong reference (or NULL with an exception set), so another thread removing the item cannot free it under you. The reference is released with \`Py_XDECREF\` on every path that does not return it.`,
  'weakref-get-ref': (api, replacement) =>
    `Replace \`${api}\` with \`${replacement}\`, which stores a strong reference to the referent (or NULL when it is dead) and returns \`-1\` on error. A dead reference becomes a new reference to \`None\`, as before, and the reference is released on every path that does not return it.`,
  'dict-next-critical-section': () =>
    'Wrap the whole `PyDict_Next` loop in `Py_BEGIN_CRITICAL_SECTION(dict);` … `Py_END_CRITICAL_SECTION();` so no other thread resizes the dict while it is iterated. A `return` inside the loop would leave the section locked, so it sets a flag and breaks, and the function returns after the section ends.',
};

/** The minor version each template's API appeared in (for the `pythoncapi_compat.h` note). */
function compatNote(replacement: string, project: DraftProject): string | undefined {
  const min = project.minPython;
  const supportsOld = min === undefined ? undefined : min[0] < 3 || (min[0] === 3 && min[1] < 13);
  if (supportsOld === false) return undefined;
  const what = replacement === 'Py_BEGIN_CRITICAL_SECTION' ? 'the critical-section macros (plain braces before 3.13)' : `\`${replacement}\``;
  if (supportsOld === true) {
    return `The project supports Python ${project.requiresPython ?? `${min?.[0]}.${min?.[1]}`}, older than 3.13 where ${what} appeared: include \`pythoncapi_compat.h\` (python/pythoncapi-compat), which provides ${replacement === 'Py_BEGIN_CRITICAL_SECTION' ? 'them' : 'it'} there.`;
  }
  const verb = replacement === 'Py_BEGIN_CRITICAL_SECTION' ? 'are' : 'is';
  return `${what} ${verb} new in Python 3.13; if the project supports older versions, include \`pythoncapi_compat.h\` (python/pythoncapi-compat), which provides ${verb === 'are' ? 'them' : 'it'}.`;
}

/**
 * Creates the deterministic drafter.
 *
 * @param params.grammars
 *   Parsers for the templates (C and C++ at least).
 *
 * @example
 *   const drafter = createDeterministicDrafter({ grammars });
 *   const outcome = await drafter.draft(request); // always `drafted`
 */
export function createDeterministicDrafter(params: { grammars: Grammars }): Drafter {
  const { grammars } = params;
  return {
    kind: 'deterministic',
    // Drafting from templates waits on nothing; a throw still rejects, as from an async method.
    draft: (request: DraftRequest): Promise<DraftOutcome> => new Promise((resolve) => resolve({ status: 'drafted', draft: draftDeterministically(request, grammars) })),
  };
}

function draftDeterministically(request: DraftRequest, grammars: Grammars): Draft {
  // 1. Module declarations: the rule's own fix.
  // 2. C-API templates: rewrite the call the finding points at.
  // 3. Otherwise (or when the template cannot rewrite the shape): explain from the best section.
  const { finding, sections, project } = request;
  const best = sections[0];
  const citedIds = best === undefined ? [] : [best.id];
  const help = finding.help ?? '';
  if (RULES_WITH_OWN_FIX.has(finding.ruleId) && finding.fix !== undefined) {
    const edit = toLineEdit({ path: request.path, text: request.fileText, edits: finding.fix.edits });
    if (edit !== undefined) {
      return { drafter: 'deterministic', explanation: joinParts([`${finding.fix.title}.`, sectionLead(best)]), edit, citedIds };
    }
  }
  if (TEMPLATE_RULES.has(finding.ruleId)) {
    const tree = parseSource({ path: request.path, text: request.fileText, grammars });
    if (tree !== undefined) {
      try {
        const offset = offsetOf(request.fileText, finding.line, finding.column);
        const rewrite = rewriteAt({ path: request.path, text: request.fileText, root: tree.rootNode, offset });
        if (rewrite.ok) {
          const text = TEMPLATE_TEXT[rewrite.template](rewrite.api, rewrite.replacementApi);
          return { drafter: 'deterministic', explanation: joinParts([text, compatNote(rewrite.replacementApi, project)]), edit: rewrite.edit, citedIds };
        }
        return { drafter: 'deterministic', explanation: joinParts([help === '' ? undefined : `${help}.`, `No rewrite drafted: ${rewrite.reason}.`, sectionLead(best)]), citedIds };
      } finally {
        tree.delete();
      }
    }
  }
  return { drafter: 'deterministic', explanation: joinParts([help === '' ? undefined : `${help}.`, sectionLead(best)]), citedIds };
}

function sectionLead(chunk: KnowledgeChunk | undefined): string | undefined {
  if (chunk === undefined) return undefined;
  const lead = leadSentences(chunk.text, 3);
  return lead === '' ? undefined : `${chunk.heading}: ${lead}`;
}

function joinParts(parts: Array<string | undefined>): string {
  return parts.filter((p): p is string => p !== undefined && p.trim() !== '').join('\n\n');
}

/** The UTF-16 offset of a 1-based line and column. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset + column - 1;
}
