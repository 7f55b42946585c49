/**
 * How posted comments tell a reader to run ftbot on their own machine: the one place that names
 * the command, so every comment says the same thing and the wording changes in one edit once the
 * package is on a registry. Until then, what works is the pre-commit hook, the GitHub Action, or a
 * checkout of ftbot's repository (`npm ci`, then `npx ftbot …` there).
 *
 * @example
 *   localCommand('review .') // → '`ftbot review .`'
 */
export function localCommand(args: string): string {
  return `\`ftbot ${args}\``;
}

/** One sentence saying where the `ftbot` command comes from, for the end of a comment. */
export const LOCAL_INSTALL_NOTE = 'The `ftbot` command comes with its pre-commit hook, its GitHub Action, or a checkout of its repository (`npm ci`, then `npx ftbot …`).';
