/**
 * Regenerates every committed artefact (rule index, knowledge chunks, JSON schemas). CI runs it and
 * then `check:clean`, so a stale artefact fails the build. Each generator is one module with a
 * default export `() => Promise<string[]>` returning the files it wrote; add new ones to the list.
 */
const generators: Array<{ name: string; load: () => Promise<{ default: () => Promise<string[]> }> }> = [
  // Rules first: the knowledge index reads docs/rules/.
  { name: 'rules', load: () => import('./generate-rules.js') },
  { name: 'knowledge', load: () => import('./generate-knowledge.js') },
];

for (const generator of generators) {
  const { default: run } = await generator.load();
  const written = await run();
  console.log(`${generator.name}: ${written.length} file(s)`);
}
