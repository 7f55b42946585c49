/** Counters with a one-line help text each, rendered in the Prometheus text format. */
const COUNTERS = {
  ftbot_webhooks_received_total: 'Webhook requests that reached the endpoint',
  ftbot_webhooks_rejected_total: 'Webhook requests answered 4xx (bad signature, headers, size)',
  ftbot_webhooks_ignored_total: 'Verified deliveries that needed no job (event not handled, bot sender, no installation)',
  ftbot_jobs_enqueued_total: 'Jobs queued',
  ftbot_jobs_deduplicated_total: 'Deliveries dropped as duplicates (delivery id or work key seen)',
  ftbot_jobs_stale_total: 'Deliveries older than a job already known for the same thread',
  ftbot_jobs_superseded_total: 'Queued jobs replaced by a newer one for the same thread',
  ftbot_jobs_started_total: 'Job attempts started',
  ftbot_jobs_succeeded_total: 'Jobs finished',
  ftbot_jobs_retried_total: 'Job attempts that asked for a retry',
  ftbot_jobs_failed_total: 'Jobs given up on',
  ftbot_jobs_dropped_total: 'Queued jobs dropped at shutdown (embedded queue only)',
  ftbot_jobs_refused_total: 'Deliveries refused with 503 because the embedded queue was full (GitHub keeps them as failed deliveries to redeliver)',
  ftbot_llm_calls_total: 'LLM calls made',
  ftbot_llm_failures_total: 'LLM calls that failed',
  ftbot_llm_spend_usd_total: 'Estimated LLM spend in US dollars',
} as const;

export type CounterName = keyof typeof COUNTERS;

export type Metrics = {
  add(name: CounterName, value?: number): void;
  get(name: CounterName): number;
  /** The exposition text; `gauges` are read at call time (queue depth). */
  render(gauges?: Record<string, number>): string;
};

/**
 * Process-local counters for `/metrics`. With several instances, each one reports its own and the
 * scraper adds them up.
 *
 * @example
 *   const m = createMetrics(); m.add('ftbot_jobs_enqueued_total');
 *   m.render({ ftbot_queue_waiting: 0 }) // '# HELP ftbot_webhooks_received_total …\n…'
 */
export function createMetrics(): Metrics {
  const values = new Map<CounterName, number>();
  return {
    add(name, value = 1) {
      values.set(name, (values.get(name) ?? 0) + value);
    },
    get(name) {
      return values.get(name) ?? 0;
    },
    render(gauges = {}) {
      const lines: string[] = [];
      for (const [name, help] of Object.entries(COUNTERS) as Array<[CounterName, string]>) {
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${values.get(name) ?? 0}`);
      }
      for (const [name, value] of Object.entries(gauges)) lines.push(`# TYPE ${name} gauge`, `${name} ${value}`);
      return `${lines.join('\n')}\n`;
    },
  };
}
