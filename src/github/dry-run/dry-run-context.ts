import { Context, type ProbotOctokit } from 'probot';
import type { Logger } from '../../core/ports.js';
import type { DryRunOctokit } from './dry-run-octokit.js';

/**
 * A Probot `Context` for a synthesised event whose `octokit` is the dry run's `@octokit/rest`
 * client, so the app's pipeline (`context.repo()`, `context.config()`, `context.octokit`) runs
 * unchanged outside a webhook. `log` receives the pipeline's log lines.
 */
export function dryRunContext(params: { name: 'pull_request' | 'issues'; payload: Record<string, unknown>; octokit: DryRunOctokit; log: Logger }): Context {
  const event = { id: 'dry-run', name: params.name, payload: params.payload } as unknown as ConstructorParameters<typeof Context>[0];
  return new Context(event, params.octokit as unknown as ProbotOctokit, pinoShaped(params.log));
}

type Call = (fieldsOrMessage?: unknown, message?: string) => void;

/** The pipeline logs as pino does: `(fields, message)` or `(message)`; `child` keeps the same sink. */
function pinoShaped(log: Logger): Context['log'] {
  const call =
    (to: (fields: Record<string, unknown>, message: string) => void): Call =>
    (first, message) => {
      if (typeof first === 'string') to({}, first);
      else to((first ?? {}) as Record<string, unknown>, message ?? '');
    };
  const shaped = {
    level: 'info',
    trace: () => {},
    debug: call((f, m) => log.debug(f, m)),
    info: call((f, m) => log.info(f, m)),
    warn: call((f, m) => log.warn(f, m)),
    error: call((f, m) => log.error(f, m)),
    fatal: call((f, m) => log.error(f, m)),
    child: () => shaped,
  };
  return shaped as unknown as Context['log'];
}
