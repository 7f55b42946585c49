/**
 * Maps `items` through an async function with at most `limit` calls in flight, keeping the order
 * of the results. Bounds the requests sent at once: to the package index for a dependency check,
 * and to GitHub for file contents, where a small pool keeps a 3,000-file pull request within the
 * webhook budget without nearing the 100-concurrent-request secondary limit.
 *
 * @example
 *   await mapConcurrently(['numpy', 'scipy', 'orjson'], 2, (name) => index.findRelease({ project: name }))
 */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(Math.floor(limit), items.length)) }, worker);
  await Promise.all(workers);
  return results;
}
