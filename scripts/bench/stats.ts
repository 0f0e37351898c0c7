/** The value at percentile `p` (0–100) of `samples`, by the nearest-rank method. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) throw new RangeError('No samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** The middle of `samples`; the mean of the two middle values when their number is even. */
export function median(samples: number[]): number {
  if (samples.length === 0) throw new RangeError('No samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The arithmetic mean of `samples`. */
export function mean(samples: number[]): number {
  if (samples.length === 0) throw new RangeError('No samples');
  return samples.reduce((sum, value) => sum + value, 0) / samples.length;
}
