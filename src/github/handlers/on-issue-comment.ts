import { Context } from 'probot';
import type { AppOptions } from '../app-options.js';
import { mayRun, mentionCommands, renderHelp } from '../commands/index.js';
import { reply, type CommandContext } from '../commands/reply.js';
import { createRateLimit } from '../rate-limit.js';

/** A mention found in a comment: the command word, the rest of its line, and its paragraph. */
export type Mention = { name: string; args: string; text: string };

/** Comments that may hold a command: on an issue or pull request, and in a review-comment thread. */
export const COMMENT_EVENTS = ['issue_comment.created', 'pull_request_review_comment.created'] as const;

/**
 * Finds `@<slug> <command> [args]` in a comment (also `@<slug>[bot]`), outside code blocks.
 * `/ftbot <command>` (or `/<slug>`) at the start of a line is an alias.
 * `args` and `text` are read from the comment itself, so code spans after the mention
 * (`` `src/foo.c:120` ``) are kept; `text` is the paragraph from the command word on, its lines
 * joined, for questions that wrap.
 *
 * Worked example, slug `ftbot`: "Thanks!\n@ftbot scan please" → { name: 'scan', args: 'please',
 * text: 'scan please' }; "/ftbot scan" → { name: 'scan', … }; "`@ftbot scan`" inside backticks → undefined.
 */
export function parseMention(body: string, slug: string): Mention | undefined {
  // Code is blanked out, not removed, so positions in `visible` are positions in `body`.
  const blank = (m: string): string => m.replace(/[^\n]/g, ' ');
  const visible = body.replace(/```[\s\S]*?```/g, blank).replace(/`[^`\n]*`/g, blank);
  const escaped = slug.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(?:(?:^|[^\\w@/])@${escaped}(?:\\[bot\\])?|(?:^|\\n)[ \\t]*/(?:${escaped}|ftbot))(?![\\w-])[ \\t]*[,:;]?[ \\t]*([\\w-]*)[ \\t]*([^\\n]*)`, 'id').exec(visible);
  if (match?.indices === undefined) return undefined;
  const [wordStart = 0] = match.indices[1] ?? [];
  const [argsStart = 0, argsEnd = 0] = match.indices[2] ?? [];
  const blankLine = /\n[ \t]*\n/g;
  blankLine.lastIndex = wordStart;
  const paragraphEnd = blankLine.exec(body)?.index ?? body.length;
  const text = body
    .slice(wordStart, paragraphEnd)
    .replace(/```[\s\S]*?(?:```|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { name: (match[1] ?? '').toLowerCase() || 'help', args: body.slice(argsStart, argsEnd).trim(), text };
}

/** Opening words of a question, for mentions without a command (`@ftbot how do I …`). */
const QUESTION_START = /^(?:what|how|why|when|where|which|who|whom|whose|is|are|can|could|should|shall|does|do|did|will|would|may|might|must|has|have|explain|tell)\b/i;

/** True when `text` reads as a question: it ends in `?`, or starts with a question word and has more words. */
export function readsAsQuestion(text: string): boolean {
  return /\?\s*$/.test(text) || (QUESTION_START.test(text) && /\s\S/.test(text));
}

/** Answers per issue per hour when the options do not say. */
const ANSWERS_PER_HOUR = 5;
/** Replies per person and per installation per hour when the options do not say. */
const REPLIES_PER_USER_PER_HOUR = 20;
const REPLIES_PER_INSTALLATION_PER_HOUR = 200;
/** Replies per process per hour when the options do not say: many installations together cannot make one instance post without end. */
const REPLIES_PER_PROCESS_PER_HOUR = 2000;

/**
 * Runs the command a new comment mentions the app with. A mention whose first word is not a
 * command but which reads as a question (`@ftbot what replaces PyList_GetItem?`) is asked.
 */
export function onIssueComment(options: AppOptions, appSlug: () => Promise<string | undefined>) {
  const now = options.now ?? Date.now;
  const answers = createRateLimit({ limit: options.answersPerHour ?? ANSWERS_PER_HOUR, windowMs: 3_600_000, now });
  // Every mention costs at least one write (even `help` or a refusal), so every mention counts
  // against its author and its installation before anything is posted.
  const perUser = createRateLimit({ limit: options.repliesPerUserPerHour ?? REPLIES_PER_USER_PER_HOUR, windowMs: 3_600_000, now });
  const perInstallation = createRateLimit({ limit: options.repliesPerInstallationPerHour ?? REPLIES_PER_INSTALLATION_PER_HOUR, windowMs: 3_600_000, now });
  const perProcess = createRateLimit({ limit: options.repliesPerProcessPerHour ?? REPLIES_PER_PROCESS_PER_HOUR, windowMs: 3_600_000, now });
  return async (event: Context<(typeof COMMENT_EVENTS)[number]>): Promise<void> => {
    const body = event.payload.comment.body;
    // Most comments do not mention anyone: skip them before asking GitHub for the slug. ftbot's
    // own inline comments arrive here too, and are never commands.
    if ((!body.includes('@') && !body.includes('/')) || event.payload.comment.user?.type === 'Bot') return;
    const slug = await appSlug();
    if (slug === undefined) return;
    const mention = parseMention(body, slug);
    if (mention === undefined) return;
    const { context, thread } = commandContextOf(event);
    let name = mention.name;
    let cmd: CommandContext = { context, args: mention.args, text: mention.text, options, appSlug: slug, answers, thread };
    const user = String(event.payload.comment.user?.id ?? event.payload.comment.user?.login ?? '');
    const installation = String(event.payload.installation?.id ?? '');
    const byUser = perUser.take(`${installation}/${user}`);
    const byInstallation = byUser === 'ok' ? perInstallation.take(installation) : 'limited';
    const byProcess = byInstallation === 'ok' ? perProcess.take('process') : 'limited';
    if (byUser !== 'ok' || byInstallation !== 'ok' || byProcess !== 'ok') {
      context.log.info({ user: event.payload.comment.user?.login, installation, byUser, byInstallation, byProcess }, 'reply limit reached');
      // One notice per person per window; an installation or a process over its limit stays quiet.
      if (byUser === 'limited-notice') await reply(cmd, `ftbot replies to one person at most ${options.repliesPerUserPerHour ?? REPLIES_PER_USER_PER_HOUR} times per hour. Mention it again later.`);
      return;
    }
    if (mentionCommands[name] === undefined || (name === 'help' && mention.text !== '' && !/^help\b/i.test(mention.text))) {
      if (!readsAsQuestion(mention.text)) {
        await reply(cmd, renderHelp(slug, name === 'help' ? undefined : name));
        return;
      }
      // A bare question is `ask` with the whole paragraph as its text.
      name = 'ask';
      cmd = { ...cmd, args: mention.text, text: `ask ${mention.text}` };
    }
    const command = mentionCommands[name];
    if (command === undefined) return;
    if (!(await mayRun(command, context))) {
      context.log.info({ command: name, association: context.payload.comment.author_association }, 'command needs write access');
      await reply(cmd, `\`${name}\` can be run by people with write access to this repository.`);
      return;
    }
    context.log.info({ command: name, issue: context.payload.issue.number }, 'mention command');
    await command.run(cmd);
  };
}

/**
 * The command's view of a comment event. A comment in a review thread is presented as a comment
 * on its pull request (the commands read `payload.issue`), with the thread to reply into.
 */
function commandContextOf(event: Context<(typeof COMMENT_EVENTS)[number]>): { context: Context<'issue_comment.created'>; thread?: CommandContext['thread'] } {
  if (event.name === 'issue_comment') return { context: event };
  const payload = (event as Context<'pull_request_review_comment.created'>).payload;
  const pr = payload.pull_request;
  const issue = { number: pr.number, title: pr.title, state: pr.state, labels: pr.labels, user: pr.user, body: pr.body, pull_request: { url: pr.url, html_url: pr.html_url } };
  const asIssueComment = { ...payload, issue } as unknown as Context<'issue_comment.created'>['payload'];
  const context = new Context<'issue_comment.created'>({ id: event.id, name: 'issue_comment', payload: asIssueComment }, event.octokit, event.log);
  // Replies go to the thread's first comment: GitHub does not accept a reply to a reply.
  return { context, thread: { pullNumber: pr.number, commentId: payload.comment.in_reply_to_id ?? payload.comment.id } };
}
