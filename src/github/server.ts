import { checkServerEnv, loadDotEnv } from '../io/check-server-env.js';
import ftbotApp from './app.js';
import { createDocsHandler } from './docs-routes.js';
import { ftbotOctokit } from './queue/ftbot-octokit.js';
import { createMemoryQueue } from './queue/memory-queue.js';
import { readServiceSettings } from './queue/read-service-settings.js';
import { createRedisQueue } from './queue/redis-queue.js';
import { createWebhookService } from './queue/webhook-service.js';

/**
 * Entry point of `npm start`. Fails at once, naming what is missing, instead of letting Probot
 * start its setup flow or accept webhooks signed with its public default secret.
 *
 * The server answers each webhook as soon as its signature is checked and it is queued; the
 * work runs from the queue (in-process, or shared through Redis when `REDIS_URL` is set).
 * SIGTERM and SIGINT stop taking requests and give running jobs `FTBOT_SHUTDOWN_SECONDS` to
 * finish; with Redis, the ones still running go back to the queue for another instance.
 */
export async function startServer(env: Record<string, string | undefined> = process.env): Promise<number> {
  loadDotEnv();
  const missing = checkServerEnv(env);
  if (missing.length > 0) {
    process.stderr.write(`ftbot: cannot start the GitHub App: missing ${missing.join(', ')}\nSet them in the environment or a .env file (see app.yml and the README).\n`);
    return 1;
  }
  const read = readServiceSettings(env);
  if ('error' in read) {
    process.stderr.write(`ftbot: cannot start the GitHub App: ${read.error}\n`);
    return 1;
  }
  const { settings } = read;
  const service = await createWebhookService({
    app: ftbotApp,
    probot: {
      appId: settings.appId,
      privateKey: settings.privateKey,
      secret: settings.secret,
      logLevel: settings.logLevel,
      logFormat: settings.logFormat,
      Octokit: ftbotOctokit(),
      ...(settings.baseUrl === undefined ? {} : { baseUrl: settings.baseUrl }),
      // Probot shares its rate limiters through Redis when given a connection (it loads ioredis).
      ...(settings.redisUrl === undefined ? {} : { redisConfig: settings.redisUrl }),
    },
    createQueue: (events) => (settings.redisUrl === undefined ? createMemoryQueue({ ...settings.limits, ...events }) : createRedisQueue({ ...settings.limits, ...events, url: settings.redisUrl })),
    ...(settings.webhookPath === undefined ? {} : { webhookPath: settings.webhookPath }),
    handlers: [createDocsHandler()],
  });
  const { port } = await service.listen(settings.port, settings.host);
  service.log.info({ port, queue: service.queue.kind, concurrency: settings.limits.concurrency }, 'ftbot listening');
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    service.log.info({ signal, waitMs: settings.shutdownMs }, 'shutting down: finishing running jobs');
    service.close(settings.shutdownMs).then(
      () => {
        service.log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        service.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return 0;
}

process.exitCode = await startServer();
