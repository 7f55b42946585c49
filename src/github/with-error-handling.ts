import type { Context } from 'probot';
import { classifyGitHubError } from './queue/classify-github-error.js';
import { currentJobScope } from './queue/job-scope.js';

/** The fields every log line of a handled event carries: never tokens or payload bodies. */
export function eventLogFields(context: Context): Record<string, unknown> {
  const payload = (context.payload ?? {}) as { installation?: { id?: unknown }; repository?: { full_name?: unknown }; pull_request?: { number?: unknown }; issue?: { number?: unknown } };
  const number = payload.pull_request?.number ?? payload.issue?.number;
  return {
    deliveryId: context.id,
    installation: typeof payload.installation?.id === 'number' ? payload.installation.id : undefined,
    repo: typeof payload.repository?.full_name === 'string' ? payload.repository.full_name : undefined,
    number: typeof number === 'number' ? number : undefined,
  };
}

/**
 * Wraps a handler so one bad event never takes the process down or fails the webhook delivery:
 * events sent by bots (ftbot included) are ignored, and an error is logged with the delivery id
 * and swallowed. GitHub does not redeliver failed events by itself, so a 500 would only add
 * noise to the delivery log; the log line is where an operator looks.
 *
 * Every log line of the handler carries the delivery id, installation, repository and number.
 * Inside a queue job, errors are also sorted for the queue: a vanished target (403/404/410)
 * ends the job with one line; a transient GitHub failure asks for the job to be retried.
 */
export function withErrorHandling<C extends Context>(name: string, handler: (context: C) => Promise<void>): (context: C) => Promise<void> {
  return async (context) => {
    if (context.isBot) {
      context.log.debug({ deliveryId: context.id, handler: name }, 'event from a bot ignored');
      return;
    }
    context.log = context.log.child(eventLogFields(context));
    try {
      await handler(context);
    } catch (error) {
      const status = (error as { status?: number }).status;
      const scope = currentJobScope();
      const kind = classifyGitHubError(error);
      if (scope !== undefined && kind === 'gone') {
        scope.gone = true;
        context.log.info({ event: context.name, handler: name, status }, 'target gone or access revoked; job ended');
        return;
      }
      if (scope !== undefined && kind === 'transient') scope.retry = true;
      context.log.error({ err: error, deliveryId: context.id, event: context.name, handler: name, status, retry: scope?.retry === true }, 'handler failed');
    }
  };
}
