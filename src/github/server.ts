import { run } from 'probot';
import { checkServerEnv, loadDotEnv } from '../io/check-server-env.js';
import ftbotApp from './app.js';

/**
 * Entry point of `npm start`. Fails at once, naming what is missing, instead of letting Probot
 * start its setup flow or accept webhooks signed with its public default secret.
 */
export async function startServer(): Promise<number> {
  loadDotEnv();
  const missing = checkServerEnv();
  if (missing.length > 0) {
    process.stderr.write(`ftbot: cannot start the GitHub App: missing ${missing.join(', ')}\nSet them in the environment or a .env file (see app.yml and the README).\n`);
    return 1;
  }
  await run(ftbotApp);
  return 0;
}

process.exitCode = await startServer();
