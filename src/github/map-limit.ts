/**
 * Maps `items` with at most `limit` calls in flight, keeping the order of results. GitHub asks
 * for serial requests; a small pool keeps a 3,000-file pull request within the webhook budget
 * without approaching the 100-concurrent-request secondary limit.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
