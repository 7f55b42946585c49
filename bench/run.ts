/**
 * `npm run bench`: runs every benchmark and prints its figures. Speed and memory are measured
 * here, never asserted in unit tests. Each bench module exports one async function returning a
 * flat record of figures (with its baseline measured in the same run).
 */
const benches: Array<{ name: string; run: () => Promise<Record<string, number | string>> }> = [
  { name: 'app', run: async () => (await import('./app.bench.js')).benchApp() },
  { name: 'ingress', run: async () => (await import('./ingress.bench.js')).benchIngress() },
  { name: 'knowledge', run: async () => (await import('./knowledge.bench.js')).benchKnowledge() },
  { name: 'scan', run: async () => (await import('./scan.bench.js')).benchScan() },
];

const only = process.argv[2];
for (const bench of benches) {
  if (only !== undefined && bench.name !== only) continue;
  console.log(`\n== ${bench.name}`);
  try {
    console.table(await bench.run());
  } catch (error) {
    console.error(`bench ${bench.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
