/**
 * Checks that the credentials a production server needs are set. Probot would otherwise start
 * its setup flow without `APP_ID`, and fall back to the public secret `development` without
 * `WEBHOOK_SECRET`, accepting forged webhooks.
 *
 * @returns
 *   The names of the missing variables (empty when all is set).
 */
export function checkServerEnv(env: Record<string, string | undefined> = process.env): string[] {
  const missing: string[] = [];
  const set = (name: string): boolean => (env[name] ?? '').trim() !== '';
  if (!set('APP_ID')) missing.push('APP_ID');
  if (!set('PRIVATE_KEY') && !set('PRIVATE_KEY_PATH')) missing.push('PRIVATE_KEY (or PRIVATE_KEY_PATH)');
  if (!set('WEBHOOK_SECRET')) missing.push('WEBHOOK_SECRET');
  return missing;
}

/** Loads `./.env` into the environment when present, as Probot's own `run` does. */
export function loadDotEnv(path = '.env'): void {
  try {
    process.loadEnvFile(path);
  } catch {
    // No .env file: the environment alone decides.
  }
}
