import type { Context } from 'probot';

/**
 * Wraps a handler so one bad event never takes the process down or fails the webhook delivery:
 * events sent by bots (ftbot included) are ignored, and an error is logged with the delivery id
 * and swallowed. GitHub does not redeliver failed events by itself, so a 500 would only add
 * noise to the delivery log; the log line is where an operator looks.
 */
export function withErrorHandling<C extends Context>(name: string, handler: (context: C) => Promise<void>): (context: C) => Promise<void> {
  return async (context) => {
    if (context.isBot) {
      context.log.debug({ deliveryId: context.id, handler: name }, 'event from a bot ignored');
      return;
    }
    try {
      await handler(context);
    } catch (error) {
      const status = (error as { status?: number }).status;
      context.log.error({ err: error, deliveryId: context.id, event: context.name, handler: name, status }, 'handler failed');
    }
  };
}
