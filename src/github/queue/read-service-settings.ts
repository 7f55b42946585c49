import { readFileSync } from 'node:fs';
import { DEFAULT_QUEUE_LIMITS, type QueueLimits } from './types.js';

export type ServiceSettings = {
  appId: string;
  privateKey: string;
  secret: string;
  port: number;
  host: string;
  webhookPath: string | undefined;
  baseUrl: string | undefined;
  redisUrl: string | undefined;
  limits: QueueLimits;
  /** How long a shutdown waits for running jobs (ms). */
  shutdownMs: number;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  logFormat: 'json' | 'pretty';
};

/**
 * Reads the server's settings from the environment, or says what is wrong. In production
 * (`NODE_ENV=production`) a missing, empty or `development` webhook secret is refused: Probot
 * would otherwise accept webhooks signed with its public default secret.
 */
export function readServiceSettings(env: Record<string, string | undefined>): { settings: ServiceSettings } | { error: string } {
  const secret = (env.WEBHOOK_SECRET ?? '').trim();
  if (env.NODE_ENV === 'production' && (secret === '' || secret === 'development')) {
    return { error: 'WEBHOOK_SECRET must be set to a real secret in production (not empty, not `development`)' };
  }
  let privateKey = env.PRIVATE_KEY?.trim() ?? '';
  if (privateKey === '' && (env.PRIVATE_KEY_PATH ?? '').trim() !== '') {
    try {
      privateKey = readFileSync((env.PRIVATE_KEY_PATH ?? '').trim(), 'utf8');
    } catch {
      return { error: `cannot read PRIVATE_KEY_PATH \`${env.PRIVATE_KEY_PATH}\`` };
    }
  }
  privateKey = privateKey.replace(/\\n/g, '\n');
  if (!privateKey.includes('-----BEGIN')) {
    const decoded = Buffer.from(privateKey, 'base64').toString('utf8');
    if (decoded.includes('-----BEGIN')) privateKey = decoded;
  }
  const int = (name: string, fallback: number, min: number): number | string => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    return Number.isInteger(value) && value >= min ? value : `${name} must be an integer >= ${min}, got \`${raw}\``;
  };
  const port = int('PORT', 3000, 0);
  const concurrency = int('FTBOT_CONCURRENCY', DEFAULT_QUEUE_LIMITS.concurrency, 1);
  const perInstallation = int('FTBOT_INSTALLATION_CONCURRENCY', DEFAULT_QUEUE_LIMITS.perInstallation, 1);
  const ttl = int('FTBOT_DEDUP_TTL_SECONDS', DEFAULT_QUEUE_LIMITS.dedupTtlMs / 1000, 1);
  const shutdown = int('FTBOT_SHUTDOWN_SECONDS', 25, 0);
  const maxWaiting = int('FTBOT_MAX_QUEUED', DEFAULT_QUEUE_LIMITS.maxWaiting, 1);
  for (const value of [port, concurrency, perInstallation, ttl, shutdown, maxWaiting]) if (typeof value === 'string') return { error: value };
  const gheHost = env.GHE_HOST?.trim();
  const level = env.LOG_LEVEL?.trim();
  return {
    settings: {
      appId: (env.APP_ID ?? '').trim(),
      privateKey,
      secret,
      port: port as number,
      host: env.HOST?.trim() || '0.0.0.0',
      webhookPath: env.WEBHOOK_PATH?.trim() || undefined,
      baseUrl: gheHost ? `${env.GHE_PROTOCOL?.trim() || 'https'}://${gheHost}/api/v3` : undefined,
      redisUrl: env.REDIS_URL?.trim() || undefined,
      limits: { ...DEFAULT_QUEUE_LIMITS, concurrency: concurrency as number, perInstallation: perInstallation as number, dedupTtlMs: (ttl as number) * 1000, maxWaiting: maxWaiting as number },
      shutdownMs: (shutdown as number) * 1000,
      logLevel: level === 'trace' || level === 'debug' || level === 'warn' || level === 'error' || level === 'fatal' ? level : 'info',
      logFormat: env.LOG_FORMAT === 'json' ? 'json' : 'pretty',
    },
  };
}
