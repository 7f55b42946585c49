import type { CommandContext } from './reply.js';
import { reply } from './reply.js';

/**
 * Takes one answer from the issue's hourly allowance. Over it, the first refusal is explained in
 * a reply and later ones are only logged, so a flood of mentions gets one notice.
 */
export async function answerAllowed(cmd: CommandContext): Promise<boolean> {
  const { owner, repo } = cmd.context.repo();
  const key = `${owner}/${repo}#${cmd.context.payload.issue.number}`;
  const decision = cmd.answers.take(key);
  if (decision === 'ok') return true;
  cmd.context.log.info({ issue: cmd.context.payload.issue.number, notified: decision === 'limited-notice' }, 'answer limit reached');
  if (decision === 'limited-notice') {
    const limit = cmd.options.answersPerHour ?? 5;
    await reply(cmd, `ftbot answers at most ${limit} questions and wheel or dependency checks per issue or pull request per hour. Ask again later.`);
  }
  return false;
}
