import type { Context } from 'probot';
import type { AppOptions } from '../app-options.js';
import { mayRun, mentionCommands, renderHelp, reply } from '../commands/index.js';

/**
 * Finds `@<slug> <command> [args]` in a comment (also `@<slug>[bot]`), outside code blocks.
 *
 * Worked example, slug `ftbot`: "Thanks!\n@ftbot scan please" → { name: 'scan', args: 'please' };
 * "`@ftbot scan`" inside backticks → undefined.
 */
export function parseMention(body: string, slug: string): { name: string; args: string } | undefined {
  const visible = body.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const escaped = slug.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(?:^|[^\\w@])@${escaped}(?:\\[bot\\])?(?![\\w-])[ \\t]*([\\w-]*)[ \\t]*([^\\n]*)`, 'i').exec(visible);
  if (match === null) return undefined;
  return { name: (match[1] ?? '').toLowerCase() || 'help', args: (match[2] ?? '').trim() };
}

/** Runs the command a new comment mentions the app with. */
export function onIssueComment(options: AppOptions, appSlug: () => Promise<string | undefined>) {
  return async (context: Context<'issue_comment.created'>): Promise<void> => {
    const body = context.payload.comment.body;
    // Most comments do not mention anyone: skip them before asking GitHub for the slug.
    if (!body.includes('@')) return;
    const slug = await appSlug();
    if (slug === undefined) return;
    const mention = parseMention(body, slug);
    if (mention === undefined) return;
    const command = mentionCommands[mention.name];
    const cmd = { context, args: mention.args, options, appSlug: slug };
    if (command === undefined) {
      await reply(cmd, renderHelp(slug, mention.name));
      return;
    }
    if (!mayRun(command, context.payload.comment.author_association)) {
      context.log.info({ command: mention.name, association: context.payload.comment.author_association }, 'command needs write access');
      await reply(cmd, `\`${mention.name}\` can be run by people with write access to this repository.`);
      return;
    }
    context.log.info({ command: mention.name, issue: context.payload.issue.number }, 'mention command');
    await command.run(cmd);
  };
}
