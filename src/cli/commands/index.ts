import type { Command } from '../io.js';

/**
 * The command registry. Each command lives in its own file and is added here, sorted by name.
 * Loaded lazily so that `ftbot scan` never pays for the modules `ftbot wheels` needs.
 */
export const commandLoaders: Record<string, () => Promise<Command>> = {
  ask: async () => (await import('./ask.js')).command,
  deps: async () => (await import('./deps.js')).command,
  hook: async () => (await import('./hook.js')).command,
  review: async () => (await import('./review.js')).command,
  rule: async () => (await import('./rule.js')).command,
  rules: async () => (await import('./rules.js')).command,
  scan: async () => (await import('./scan.js')).command,
  suggest: async () => (await import('./suggest.js')).command,
  triage: async () => (await import('./triage.js')).command,
  wheels: async () => (await import('./wheels.js')).command,
};

/**
 * One line per command for `ftbot --help`, kept here so the top-level help does not load every
 * command (a test checks each matches the command's own `summary`: loading all nine commands takes seconds).
 */
export const commandSummaries: Record<string, string> = {
  ask: 'Answer a free-threading porting question from the knowledge base, with citations',
  deps: 'Check whether a project’s dependencies install on free-threaded CPython',
  hook: 'Scan the project, report only the files passed (for pre-commit)',
  review: 'Print the review or triage comment the GitHub App would post',
  rule: "Print a rule's documentation",
  rules: 'List the rules',
  scan: 'Scan sources and build files for free-threading hazards; --fix applies fixes',
  suggest: 'Draft and verify a change for the findings on one line of a file',
  triage: 'Print the triage comment the GitHub App would post for a repository',
  wheels: 'Show which free-threaded CPython builds can install a release’s wheels',
};
