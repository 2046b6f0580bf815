/** What the benches measure with: percentiles of sorted times, and the peak resident memory of some work. */

/** The value at a fraction of a sorted list (0.5 the median, 0.95 the 95th percentile). */
export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

/** The highest resident memory seen while `work` runs, sampled every 20 ms, in MiB. */
export async function peakMemory<T>(work: () => Promise<T>): Promise<{ result: T; peakMiB: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakMiB: Math.round(peak / 1024 / 1024) };
  } finally {
    clearInterval(timer);
  }
}
