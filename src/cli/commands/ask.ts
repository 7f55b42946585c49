import { parseArgs } from 'node:util';
import { createLlmAnswerDrafter } from '../../core/drafting/llm-answer-drafter.js';
import { answerQuestion, type Answer, type AnswerDrafter } from '../../core/knowledge/index.js';
import { loadKnowledge } from '../../io/load-knowledge.js';
import { loadPrompts } from '../../io/load-prompts.js';
import { createOpenAiClient, readLlmSettings } from '../../io/openai-client.js';
import { EXIT_OK, UsageError, type CliIo, type Command } from '../io.js';

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

const usage = `Usage: ftbot ask <question...> [--format text|json]
       ftbot ask - [--format text|json]

Answers a question about porting extension modules to free-threaded CPython from ftbot's
knowledge base (knowledge/*.md and docs/rules/*.md), citing the sections it used and their
upstream documentation. The words of the question may be given unquoted; '-' reads the
question from standard input. Long questions with pasted logs or code are fine: ftbot keeps
the prose and, from each pasted block, its first lines and its error or warning lines.

Options:
  --format <format>  text (default) or json
  -h, --help         Show this help

JSON output: {"answer": string, "citations": [{"page", "anchor", "title", "excerpt", "url"}]},
citations best first. A question the knowledge base does not cover (an off-topic one, say)
gets a short "not covered" answer and an empty citations list.

With OPENAI_API_KEY (or FTBOT_LLM_API_KEY) set, a model writes the answer from the retrieved
sections (OPENAI_BASE_URL, FTBOT_LLM_MODEL, FTBOT_LLM_TIMEOUT_MS as for \`ftbot suggest\`); it
may cite only those sections, and any failure falls back to the answer written without it.

Exit codes:
  0  answered, or the question is not covered
  2  usage error, or the knowledge index is missing or broken
`;

function parseFormat(value: string | undefined): Format {
  if (value === undefined) return 'text';
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new UsageError(`unknown format '${value}' (expected ${FORMATS.join(' or ')})`);
}

async function readQuestion(positionals: string[], io: CliIo): Promise<string> {
  if (positionals.length === 1 && positionals[0] === '-') {
    if (io.readStdin === undefined) throw new UsageError("'-' needs standard input, and there is none");
    return (await io.readStdin()).trim();
  }
  return positionals.join(' ').trim();
}

/** The JSON contract: exactly these keys, in this order. */
function toJson(answer: Answer): string {
  const body = {
    answer: answer.answer,
    citations: answer.citations.map(({ page, anchor, title, excerpt, url }) => ({ page, anchor, title, excerpt, url })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

function toText(answer: Answer): string {
  if (!answer.covered) return `Not covered: ${answer.answer}\n`;
  const lines = [answer.answer, '', 'Sources:'];
  for (const [position, citation] of answer.citations.entries()) {
    const name = citation.heading === citation.title ? citation.title : `${citation.title} › ${citation.heading}`;
    const target = citation.anchor === '' ? citation.page : `${citation.page}#${citation.anchor}`;
    lines.push(`  ${position + 1}. ${name}`, `     ${target}`);
    if (citation.url !== '') lines.push(`     ${citation.url}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The LLM writer when a key is set; otherwise nothing (the deterministic answer). */
function llmAnswerDrafter(io: CliIo): { drafter?: AnswerDrafter } {
  const settings = readLlmSettings(io.env);
  const prompt = settings === undefined ? undefined : loadPrompts().get('answer-question');
  if (settings === undefined || prompt === undefined) return {};
  return { drafter: createLlmAnswerDrafter({ client: createOpenAiClient(settings, { fetch: io.fetch }), prompt }) };
}

export const command: Command = {
  name: 'ask',
  summary: 'Answer a free-threading porting question from the knowledge base, with citations',
  usage,
  async run(args, io) {
    const parsed = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string' } } });
    const format = parseFormat(parsed.values.format);
    const question = await readQuestion(parsed.positionals, io);
    if (question === '') throw new UsageError('no question given');

    const index = await loadKnowledge();
    const answer = await answerQuestion({ question, index, ...llmAnswerDrafter(io) });
    io.stdout(format === 'json' ? toJson(answer) : toText(answer));
    return EXIT_OK;
  },
};
