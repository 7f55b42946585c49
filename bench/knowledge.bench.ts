/**
 * Knowledge base speed: chunking all pages, building the index, loading index.json, and query
 * latency over the retrieval question set. The baseline in the same run is a plain MiniSearch
 * query with default options over the same chunks, so the cost of our tokenizer, the term
 * weighting and the exact-name boosts can be read off directly.
 */
import { readFileSync } from 'node:fs';
import MiniSearch from 'minisearch';
import { answerQuestion } from '../src/core/knowledge/answer-question.js';
import { buildIndex } from '../src/core/knowledge/build-index.js';
import { chunkMarkdown } from '../src/core/knowledge/chunk-markdown.js';
import { search } from '../src/core/knowledge/search.js';
import { loadIndex, serializeIndex } from '../src/core/knowledge/serialize-index.js';
import type { KnowledgeChunk } from '../src/core/knowledge/types.js';
import { readKnowledgeSources } from '../scripts/generate-knowledge.js';

type QuestionSet = { questions: Array<{ question: string }>; offTopic: string[] };

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function time<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

export async function benchKnowledge(): Promise<Record<string, number | string>> {
  const files = await readKnowledgeSources();
  const set = JSON.parse(
    readFileSync(new URL('../test/fixtures/knowledge/questions.json', import.meta.url), 'utf8'),
  ) as QuestionSet;
  const questions = [...set.questions.map((q) => q.question), ...set.offTopic];

  const chunked = time(() => files.flatMap((file) => chunkMarkdown(file).chunks));
  const chunks: KnowledgeChunk[] = chunked.value;
  const built = time(() => buildIndex(chunks));
  const serialised = time(() => serializeIndex(built.value));
  const loaded = time(() => loadIndex(JSON.parse(serialised.value)));
  const index = loaded.value;

  const baseline = new MiniSearch<KnowledgeChunk>({ fields: ['heading', 'title', 'text'], idField: 'id' });
  baseline.addAll(chunks);

  // Warm up, then measure each query several times.
  for (const question of questions) search({ index, query: question });
  const rounds = 5;
  const ours: number[] = [];
  const plain: number[] = [];
  const answers: number[] = [];
  for (let round_ = 0; round_ < rounds; round_ += 1) {
    for (const question of questions) {
      ours.push(time(() => search({ index, query: question })).ms);
      plain.push(time(() => baseline.search(question, { prefix: true, fuzzy: 0.2 })).ms);
      const start = performance.now();
      await answerQuestion({ question, index });
      answers.push(performance.now() - start);
    }
  }
  for (const list of [ours, plain, answers]) list.sort((a, b) => a - b);

  return {
    pages: files.length,
    chunks: chunks.length,
    'chunk all pages (ms)': round(chunked.ms),
    'build index (ms)': round(built.ms),
    'serialise (ms)': round(serialised.ms),
    'index.json (kB)': Math.round(serialised.value.length / 1024),
    'load index.json (ms)': round(loaded.ms),
    queries: ours.length,
    'search p50 (ms)': round(percentile(ours, 50)),
    'search p95 (ms)': round(percentile(ours, 95)),
    'answerQuestion p50 (ms)': round(percentile(answers, 50)),
    'answerQuestion p95 (ms)': round(percentile(answers, 95)),
    'baseline MiniSearch p50 (ms)': round(percentile(plain, 50)),
    'baseline MiniSearch p95 (ms)': round(percentile(plain, 95)),
  };
}
