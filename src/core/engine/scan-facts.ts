import type { SharedStateSummary } from '../analysis/shared-state/summarize-c.js';
import type { Anchor, Rule } from './define-rule.js';

/** A module that re-enables the GIL on import: one surviving finding of a `module-declaration` rule. */
export type UndeclaredModule = {
  /** The file that defines the module (a source, or a `CMakeLists.txt` for nanobind). */
  path: string;
  /** The rule that found it, e.g. `FT008`. */
  ruleId: string;
};

/**
 * Facts file rules publish during a scan for project rules to read (the project-rules phase, see
 * `README.md`). Each kind is a list that grows while the file rules run and is complete when the
 * project rules start. To add a kind, add a field here and to `emptyScanFacts`; a file rule that
 * publishes it lists it in `publishes`, and a project rule that reads it lists it in `inputs`.
 */
export type ScanFacts = {
  /**
   * Modules that re-enable the GIL on import. The engine publishes these itself: every finding of a
   * rule whose category is `module-declaration` that no suppression removed.
   */
  undeclaredModules: UndeclaredModule[];
  /**
   * One per C/C++ source with shared state: the variables it declares, its unprotected writes to
   * variables declared elsewhere, and the functions of other files it reaches. Published by FT014
   * for the analysis across files (FT045).
   */
  sharedSummaries: PublishedSharedSummary[];
};

/**
 * FT014's summary of one file as published: the analysis's summary, plus what FT045 needs to
 * report without reading the file again — where each file-scope declaration is (`at`, on every
 * declaration but function-local statics and fields) and whether the file has a local
 * `#include "…"` line.
 */
export type PublishedSharedSummary = Omit<SharedStateSummary, 'declared'> & {
  declared: Array<SharedStateSummary['declared'][number] & { at?: Anchor }>;
  includesLocal: boolean;
};

export type FactName = keyof ScanFacts;

export function emptyScanFacts(): ScanFacts {
  return { undeclaredModules: [], sharedSummaries: [] };
}

/**
 * The fact kinds a rule publishes: those it declares, plus `undeclaredModules` for every
 * `module-declaration` rule (the engine publishes its findings).
 *
 * @example
 *   factsPublishedBy(ft013) // → ['undeclaredModules']
 */
export function factsPublishedBy(rule: Rule): FactName[] {
  const names = new Set<FactName>(rule.publishes ?? []);
  if (rule.meta.category === 'module-declaration') names.add('undeclaredModules');
  return [...names];
}
