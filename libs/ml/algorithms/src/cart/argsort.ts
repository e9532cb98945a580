/**
 * Stable argsort of a Float64Array without a JS comparator (which is ~10× slower on 100k values): the values are
 * sorted natively, each value's rank is found by binary search, and a counting sort by rank gives the order.
 */
export function argsortStable(values: Float64Array): Int32Array {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  let nUnique = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[nUnique - 1]) sorted[nUnique++] = sorted[i];
  const rank = new Int32Array(n);
  const bucketStart = new Int32Array(nUnique + 1);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    let lo = 0;
    let hi = nUnique - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
    bucketStart[lo + 1]++;
  }
  for (let r = 0; r < nUnique; r++) bucketStart[r + 1] += bucketStart[r];
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[bucketStart[rank[i]]++] = i;
  return order;
}
