import type { Node } from 'web-tree-sitter';
import type { Applicability, Confidence, Severity, TextEdit } from '../diagnostics.js';
import type { BuildFileKind, SourceLanguage } from '../languages.js';
import type { ProjectFacts } from './project-facts.js';
import type { FactName, ScanFacts } from './scan-facts.js';

/** Where a rule looks: a source language, or the text of a build file. */
export type RuleTarget = SourceLanguage | BuildFileKind;

/**
 * What kind of problem a rule finds. Every per-category id set (which rules declare modules, which
 * flag borrowed references) is derived from this field, never listed by hand.
 */
export type RuleCategory =
  /** A C-API call returns a borrowed reference another thread can free. */
  | 'borrowed-reference'
  /** An API that is removed or deprecated for free-threaded builds. */
  | 'removed-api'
  /** A loop over, or a write into, a container that may be shared, without a critical section. */
  | 'unlocked-iteration'
  /** A module that does not declare free-threading support, so importing it re-enables the GIL. */
  | 'module-declaration'
  /** State shared between threads (globals, object fields, libc state) used without a lock. */
  | 'shared-state'
  /** Build, packaging or CI configuration that leaves free-threaded builds out or misdescribes them. */
  | 'build';

/** The categories in the order rule lists show them. */
export const ruleCategories: readonly RuleCategory[] = ['borrowed-reference', 'removed-api', 'unlocked-iteration', 'module-declaration', 'shared-state', 'build'];

export type RuleMeta<MessageId extends string> = {
  /** Stable id, `FT` and three digits. Never reused, never renamed without a redirect. */
  id: string;
  /** Kebab-case name of the pattern the rule flags. */
  name: string;
  /** One line for rule lists. */
  title: string;
  category: RuleCategory;
  /**
   * One line saying why the pattern is a problem under free threading, shown under review
   * comments and in the rule table (plain text, backticks for code).
   */
  why: string;
  targets: readonly RuleTarget[];
  severity: Severity;
  confidence: Confidence;
  /** What kind of fix the rule can attach; `never` means it attaches none. */
  fix: 'never' | Applicability;
  /** Preview rules run only when selected explicitly or with `ALL` / `preview = true`. */
  preview: boolean;
  /**
   * Identifiers whose presence makes a file worth parsing for this rule (the prefilter). A rule
   * with no triggers must supply `prefilter`.
   */
  triggers: readonly string[];
  /** One-line messages by id; `{{name}}` placeholders are filled from the report's `data`. */
  messages: Record<MessageId, string>;
  /** One imperative line per message id saying what to do (the fix title). */
  help: Record<MessageId, string>;
  /**
   * Rules whose finding states the same fact as this rule's, in fewer words, when both report one
   * site (either starts inside the other's span, in the same file). Phase 7 then reports
   * only this rule's finding, at the higher severity and confidence of the two
   * (`subsume-findings.ts`). FT004 (`Py_INCREF` after a borrowed lookup) subsumes FT001, FT002
   * and FT017 (the borrowed lookup itself): one call, one fix.
   */
  subsumes?: readonly string[];
};

/** A trigger occurrence that sits in code (not in a comment or string), with its syntax node. */
export type Hit = {
  name: string;
  index: number;
  /** The identifier node, or undefined when the hit lies in a macro body or an unparsed region. */
  node: Node | undefined;
  /**
   * Where the hit sits: ordinary `code`; the body of a `#define` (`macro`), which tree-sitter keeps
   * as raw text; or an `error` region tree-sitter could not parse.
   */
  context: 'code' | 'macro' | 'error';
};

export type ReportDescriptor<MessageId extends string> = {
  messageId: MessageId;
  data?: Record<string, string>;
  /** The node to flag; or give explicit UTF-16 offsets. */
  node?: Node;
  start?: number;
  end?: number;
  confidence?: Confidence;
  severity?: Severity;
  /** The edits; `title` names what they do when the help text offers more than the edits make (default: the help). */
  fix?: { edits: TextEdit[]; title?: string };
  /** The enclosing symbol, when the engine cannot infer it from the node. */
  symbol?: string;
  /**
   * Other places that explain the finding (a declaration, the other writes): in this file by UTF-16
   * offset (a span when `end` is given: a whole statement the finding is also about), or in another
   * file (a build file the project facts read) by path, line and column.
   */
  related?: Array<{ start: number; end?: number; message: string } | { path: string; at: Pick<Anchor, 'line' | 'column'>; message: string }>;
};

/**
 * A place in a file, resolved by a file rule while it has the text (`ctx.anchor`), so a facts-only
 * project rule can report there without reading the file again. Plain data: it is published, and
 * cached with the file's results.
 */
export type Anchor = {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The first flagged line with white space folded (the finding's fingerprint hashes it). */
  lineText: string;
};

/** A report of a facts-only project rule: a file and an anchor its file rule published, instead of a node or offsets. */
export type FactsReportDescriptor<MessageId extends string> = {
  messageId: MessageId;
  data?: Record<string, string>;
  path: string;
  at: Anchor;
  confidence?: Confidence;
  severity?: Severity;
  symbol?: string;
  /** Other places that explain the finding, in any file. */
  related?: Array<{ path: string; at: Pick<Anchor, 'line' | 'column'>; message: string }>;
};

/** What a facts-only project rule sees: the published facts and the project facts, no file. */
export type FactsContext<MessageId extends string> = {
  /** Every fact the file rules published (the kinds the rule names in `inputs`, complete). */
  facts: Readonly<ScanFacts>;
  project: ProjectFacts;
  report: (descriptor: FactsReportDescriptor<MessageId>) => void;
};

export type RuleContext<MessageId extends string> = {
  path: string;
  target: RuleTarget;
  text: string;
  /** Root of the syntax tree. For C/C++ it may cover only the top-level segments that hold hits. */
  root: Node | undefined;
  /** This rule's trigger occurrences in code, in file order. */
  hits: readonly Hit[];
  /** The offsets this rule's own `prefilter` returned for this file (empty without a prefilter). */
  prefiltered: readonly number[];
  /** Facts read from build files before any rule runs (see `project-facts.ts`). */
  project: ProjectFacts;
  /**
   * Facts the file rules published, for a project rule: the kinds it names in `inputs`, complete
   * for the whole scan. Empty for file rules, which run before the facts are complete.
   */
  facts: Readonly<ScanFacts>;
  /** Adds a fact for project rules to read (file rules only; see `scan-facts.ts`). */
  publish: <K extends FactName>(name: K, fact: ScanFacts[K][number]) => void;
  /** Resolves UTF-16 offsets of this file to an `Anchor`, for a published fact a project rule reports at. */
  anchor: (start: number, end?: number) => Anchor;
  report: (descriptor: ReportDescriptor<MessageId>) => void;
};

export type Rule<MessageId extends string = string> = {
  meta: RuleMeta<MessageId>;
  /**
   * The published facts this rule reads. A rule with inputs is a *project rule*: it runs after
   * every file rule, once per file of its targets, with `ctx.facts` complete. The rules that
   * publish those facts run with it even when not selected, without reporting.
   */
  inputs?: readonly FactName[];
  /** The facts this file rule publishes with `ctx.publish`, so the engine knows to run it for a project rule. */
  publishes?: readonly FactName[];
  /**
   * Extra offsets worth parsing, for rules whose interesting code cannot be found by a fixed
   * identifier list (e.g. writes to a file's own static variables).
   */
  prefilter?: (text: string, target: RuleTarget) => number[];
  /**
   * `false` for a rule without triggers whose `check` reads only the text and the analyses built
   * from it, never `ctx.root` or `ctx.hits`: its prefilter offsets then cause no parse, and a file
   * where no other rule found anything is not parsed at all (`ctx.root` is undefined there).
   */
  needsTree?: boolean;
  /** Runs synchronously over one file; reports through `ctx.report`. */
  check?: (ctx: RuleContext<MessageId>) => void;
  /**
   * A *facts-only* project rule has this instead of `check`: it runs once per scan, after the file
   * rules, over the published facts alone, and reports at anchors they carry. The engine then
   * neither reads nor parses any file again for it, and a warm cache replays every file.
   */
  checkFacts?: (ctx: FactsContext<MessageId>) => void;
};

type FixFor<F> = F extends 'never' ? { fix?: never } : { fix?: { edits: TextEdit[]; title?: string } };

/**
 * Declares a rule. Generic over the message ids so `report` accepts only declared ids, and a rule
 * whose meta says `fix: 'never'` cannot attach a fix.
 *
 * @example
 *   export default defineRule({
 *     meta: { id: 'FT003', name: 'weakref-get-object', …, messages: { removed: '`{{api}}` …' } },
 *     check(ctx) { for (const hit of ctx.hits) ctx.report({ node: hit.node, messageId: 'removed' }); },
 *   });
 */
export function defineRule<MessageId extends string, F extends 'never' | Applicability>(
  rule: {
    meta: RuleMeta<MessageId> & { fix: F };
    inputs?: readonly FactName[];
    publishes?: readonly FactName[];
  } & (
    | {
        prefilter?: (text: string, target: RuleTarget) => number[];
        needsTree?: boolean;
        check: (
          ctx: Omit<RuleContext<MessageId>, 'report'> & {
            report: (descriptor: Omit<ReportDescriptor<MessageId>, 'fix'> & FixFor<F>) => void;
          },
        ) => void;
      }
    | { inputs: readonly FactName[]; checkFacts: (ctx: FactsContext<MessageId>) => void }
  ),
): Rule<MessageId> {
  return rule;
}
