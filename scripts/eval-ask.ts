/**
 * `npm run eval:ask`: measures `ftbot ask` on real questions (eval/ask/questions.json) without a
 * model, as a new user would meet it. Prints recall@3, decline rates, fully correct answers and
 * in-process latency for the dev split, the held-out split and both; with `--cli`, also times the
 * CLI end to end (needs `npm run build`). `--failures` lists the dev split's misses only: the
 * held-out split is not for tuning.
 *
 * Exit code 0 always: this is a measurement, the targets are checked by reading it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { answerQuestion } from '../src/core/knowledge/answer-question.js';
import { loadKnowledge } from '../src/io/load-knowledge.js';
import { gradeAnswer, percentile, type EvalQuestion, type Grade } from './eval-ask-grade.js';

const ROOT = new URL('../', import.meta.url);
const args = new Set(process.argv.slice(2));

type Row = { question: EvalQuestion; grade: Grade; ms: number; cpuMs: number; cited: string[] };

function summarise(rows: readonly Row[]): string[] {
  const onTopic = rows.filter((row) => row.question.offTopic !== true);
  const offTopic = rows.filter((row) => row.question.offTopic === true);
  const share = (part: number, whole: number): string => (whole === 0 ? 'n/a' : `${(part / whole).toFixed(3)} (${part}/${whole})`);
  return [
    `  recall@3               ${share(onTopic.filter((row) => row.grade.retrieved).length, onTopic.length)}`,
    `  on-topic declined      ${share(onTopic.filter((row) => row.grade.declined).length, onTopic.length)}`,
    `  off-topic declined     ${share(offTopic.filter((row) => row.grade.declined).length, offTopic.length)}`,
    `  fully correct          ${share(onTopic.filter((row) => row.grade.fullyCorrect).length, onTopic.length)}`,
  ];
}

async function main(): Promise<void> {
  const { questions } = JSON.parse(readFileSync(new URL('eval/ask/questions.json', ROOT), 'utf8')) as { questions: EvalQuestion[] };
  const index = await loadKnowledge();
  // One warm-up call: the first search builds MiniSearch's lazy structures.
  await answerQuestion({ question: 'warm up PyDict_Next', index });

  const rows: Row[] = [];
  for (const question of questions) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const answer = await answerQuestion({ question: question.question, index });
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    const cited = answer.citations.map((citation) => citation.page);
    const grade = question.offTopic === true
      ? { declined: !answer.covered, retrieved: false, missingFacts: [], tooLong: false, fullyCorrect: !answer.covered }
      : gradeAnswer(question, { covered: answer.covered, answer: answer.answer, citedPages: cited });
    rows.push({ question, grade, ms, cpuMs, cited });
  }

  const lines = [`ftbot ask evaluation: ${questions.length} questions (eval/ask/questions.json), no model`];
  for (const split of ['dev', 'heldout'] as const) {
    const subset = rows.filter((row) => row.question.split === split);
    lines.push(`${split} (${subset.length}):`, ...summarise(subset));
  }
  lines.push(`all (${rows.length}):`, ...summarise(rows));
  const times = rows.map((row) => row.ms);
  const cpuTimes = rows.map((row) => row.cpuMs);
  lines.push(`latency in process (wall): p50 ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`);
  // CPU time is what the answer costs; wall time also counts waiting for a busy machine's cores.
  lines.push(`latency in process (CPU): p50 ${percentile(cpuTimes, 0.5).toFixed(1)} ms, p95 ${percentile(cpuTimes, 0.95).toFixed(1)} ms; load average ${loadavg()[0]?.toFixed(1) ?? '?'}`);

  if (args.has('--cli')) {
    const sample = questions.filter((question) => question.offTopic !== true).slice(0, 5);
    const walls: number[] = [];
    for (const question of sample) {
      const started = performance.now();
      const run = spawnSync(process.execPath, [new URL('bin/ftbot.js', ROOT).pathname, 'ask', question.question], { encoding: 'utf8' });
      walls.push(performance.now() - started);
      if (run.status !== 0) lines.push(`  CLI failed (${run.status}): ${run.stderr.slice(0, 200)}`);
    }
    lines.push(`CLI end to end (node bin/ftbot.js ask, ${walls.length} runs): median ${percentile(walls, 0.5).toFixed(0)} ms, max ${Math.max(...walls).toFixed(0)} ms`);
  }

  if (args.has('--failures')) {
    lines.push('', 'dev-split misses (held-out misses are not listed):');
    for (const row of rows.filter((r) => r.question.split === 'dev')) {
      const { grade, question } = row;
      const ok = question.offTopic === true ? grade.declined : grade.retrieved && grade.fullyCorrect;
      if (ok) continue;
      const why = question.offTopic === true
        ? 'off-topic but answered'
        : [
            grade.declined ? 'declined' : '',
            !grade.declined && !grade.retrieved ? `cited ${row.cited.slice(0, 3).join(', ')} (wanted ${(question.cite ?? []).join(' | ')})` : '',
            grade.tooLong ? 'too long' : '',
            grade.missingFacts.length > 0 ? `missing ${grade.missingFacts.map((fact) => fact.join('/')).join('; ')}` : '',
          ].filter((part) => part !== '').join('; ');
      lines.push(`- ${question.id}: ${question.question.slice(0, 90)} → ${why}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
