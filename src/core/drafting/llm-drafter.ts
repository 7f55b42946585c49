/**
 * The drafter that asks a model (through the `LlmClient` port) with `prompts/draft-migration.md`.
 */
import { silentLogger, type LlmClient, type Logger } from '../ports.js';
import type { LlmBudget } from './budget.js';
import type { Prompt } from './parse-prompt.js';
import { requestStructured, type Sleep } from './request-structured.js';
import { renderSectionsForPrompt } from './sections.js';
import type { DraftOutcome, DraftProject, DraftRequest, Drafter } from './types.js';

/** Rule titles and fix lines the prompt states as ftbot's (trusted) words. */
export type RuleDescriber = (ruleId: string) => { title: string; help?: string } | undefined;

/**
 * Creates the LLM drafter. It never throws for a failed call: it returns `failed` (with a notice
 * when a budget or the quota stopped it), and `draftSuggestions` falls back to the deterministic
 * drafter.
 *
 * @param params.client
 *   The chat-completion port (`createOpenAiClient` in production).
 * @param params.prompt
 *   The parsed `draft-migration` prompt.
 * @param params.describeRule
 *   Rule title and fix line by id, written into the prompt as trusted text.
 * @param params.budget
 *   Optional spend limits and circuit breaker.
 */
export function createLlmDrafter(params: {
  client: LlmClient;
  prompt: Prompt;
  describeRule?: RuleDescriber;
  budget?: LlmBudget;
  sleep?: Sleep;
  logger?: Logger;
}): Drafter {
  const { client, prompt, describeRule, budget, sleep, logger = silentLogger } = params;
  if (prompt.output !== 'draftMigrationOutput') throw new TypeError(`llm-drafter: prompt ${prompt.id} does not answer with draftMigrationOutput`);
  const typed = prompt as Prompt & { output: 'draftMigrationOutput' };
  return {
    kind: 'llm',
    async draft(request: DraftRequest): Promise<DraftOutcome> {
      const variables = promptVariables(request, describeRule);
      const result = await requestStructured({
        client,
        prompt: typed,
        variables,
        logger,
        ...(budget === undefined ? {} : { budget }),
        ...(request.scope === undefined ? {} : { scope: request.scope }),
        ...(sleep === undefined ? {} : { sleep }),
      });
      if (!result.ok) return { status: 'failed', reason: result.reason, ...(result.notice === undefined ? {} : { notice: result.notice }) };
      const allowed = new Set(request.sections.map((s) => s.id));
      const { explanation, edit, citedIds } = result.value;
      return {
        status: 'drafted',
        draft: {
          drafter: 'llm',
          explanation,
          citedIds: citedIds.filter((id) => allowed.has(id)),
          promptId: result.promptId,
          ...(edit === null ? {} : { edit: { path: request.path, startLine: edit.startLine, endLine: edit.endLine, replacement: edit.replacement.replace(/\r\n?/g, '\n').replace(/\n$/, '') } }),
        },
      };
    },
  };
}

function promptVariables(request: DraftRequest, describeRule: RuleDescriber | undefined): Record<string, string> {
  const { finding } = request;
  const rule = describeRule?.(finding.ruleId);
  const ruleText = [`${finding.ruleId}${rule === undefined ? '' : `: ${rule.title}`}`, ...((finding.help ?? rule?.help) === undefined ? [] : [`Recommended fix: ${finding.help ?? rule?.help ?? ''}`])].join('\n');
  const source = request.functionSource;
  const numbered =
    source === undefined
      ? numberLines(request.fileText, Math.max(1, finding.line - 15), finding.line + 15)
      : source.text
          .split('\n')
          .map((line, i) => `${String(source.startLine + i).padStart(5)}| ${line}`)
          .join('\n');
  return {
    rule: ruleText,
    finding: `${finding.path}:${finding.line}:${finding.column}: ${finding.ruleId} ${finding.message}`,
    function_source: numbered,
    knowledge: renderSectionsForPrompt(request.sections),
    python_support: pythonSupport(request.project),
    request: request.requestText ?? '(none)',
  };
}

function numberLines(text: string, from: number, to: number): string {
  return text
    .split('\n')
    .slice(from - 1, to)
    .map((line, i) => `${String(from + i).padStart(5)}| ${line}`)
    .join('\n');
}

/** One line on the supported range and what it means for the 3.13 APIs. */
export function pythonSupport(project: DraftProject): string {
  const min = project.minPython;
  if (min === undefined) return 'unknown (no `requires-python`); mention `pythoncapi_compat.h` for APIs new in 3.13';
  const old = min[0] < 3 || (min[0] === 3 && min[1] < 13);
  return old
    ? `\`requires-python = "${project.requiresPython ?? ''}"\` includes versions before 3.13: recommend \`pythoncapi_compat.h\` for APIs new in 3.13`
    : `\`requires-python = "${project.requiresPython ?? ''}"\`: 3.13 or later only, so the 3.13 APIs need no compatibility header`;
}
