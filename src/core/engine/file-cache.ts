import type { Diagnostic, Finding } from '../diagnostics.js';
import type { FactName, ScanFacts } from './scan-facts.js';
import type { Suppression } from './suppressions.js';

/**
 * What scanning one source file added to a scan, kept so a later scan of the same text can replay
 * it instead of prefiltering, parsing and running the rules again. Plain data (JSON-safe): the
 * shell stores it on disk. Findings are the ones left after the file's suppression comments,
 * except for a file a project rule may report on: its findings wait for the project rules, so
 * they are kept unsuppressed with the file's `suppressions`, and are settled without the text.
 */
export type CachedFile = {
  findings: Finding[];
  /** The file's suppression comments, kept when its findings are settled after the project rules. */
  suppressions?: Suppression[];
  diagnostics: Diagnostic[];
  /** The facts the file published, by kind (kinds it did not publish are absent). */
  facts: Partial<ScanFacts>;
  /** The text's length in UTF-16 code units (the `bytes` stat). */
  length: number;
};

/**
 * Per-file results from earlier scans (a port: the CLI keeps them in `.ftbot_cache/`). The shell
 * decides what a hit means: its key must cover everything a file's results depend on besides the
 * file itself — the rule set, the project facts (build files), and ftbot's own code.
 */
export type FileCache = {
  /** The results stored for the file at `path` if its content is unchanged, else undefined. */
  get(path: string): CachedFile | undefined;
  /** Stores the results of `path`, scanned from `text`. */
  set(path: string, text: string, result: CachedFile): void;
};

/** The scan's accumulators a file's results go into. */
export type ScanSinks = { found: Finding[]; diagnostics: Diagnostic[]; facts: ScanFacts };

/** Adds a cached file's results to the scan, in the order a fresh scan of the file would have. */
export function replayCachedFile(cached: CachedFile, sinks: ScanSinks): void {
  sinks.found.push(...cached.findings);
  sinks.diagnostics.push(...cached.diagnostics);
  for (const name of Object.keys(cached.facts) as FactName[]) {
    const published = cached.facts[name];
    if (published !== undefined) (sinks.facts[name] as unknown[]).push(...published);
  }
}

/**
 * Marks where the accumulators stand before a file is scanned; `taken()` then returns what the file
 * added, or undefined when it must not be cached (ftbot failed on it: a later run should try again).
 */
export function recordFile(sinks: ScanSinks): { taken: (length: number) => CachedFile | undefined } {
  const found = sinks.found.length;
  const diagnostics = sinks.diagnostics.length;
  const facts = new Map((Object.keys(sinks.facts) as FactName[]).map((name) => [name, sinks.facts[name].length]));
  return {
    taken(length) {
      const added = sinks.diagnostics.slice(diagnostics);
      if (added.some((d) => d.kind === 'internal-error')) return undefined;
      const published: Partial<ScanFacts> = {};
      for (const [name, before] of facts) {
        if (sinks.facts[name].length > before) (published as Record<FactName, unknown[]>)[name] = sinks.facts[name].slice(before);
      }
      return { findings: sinks.found.slice(found), diagnostics: added, facts: published, length };
    },
  };
}
