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
