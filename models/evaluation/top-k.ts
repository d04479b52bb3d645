/**
 * Indices of the k largest scores, best first, in O(n log k) with a bounded min-heap; ties go to
 * the lower index so rankings are deterministic.
 * @example topK(Float32Array.of(0.1, 0.9, 0.5), 2) // [1, 2]
 */
export function topK(scores: ArrayLike<number>, k: number, exclude?: ReadonlySet<number>): number[] {
  const heapIndex: number[] = [];
  const worse = (a: number, b: number): boolean => scores[a] < scores[b] || (scores[a] === scores[b] && a > b);
  const siftDown = (start: number): void => {
    for (let i = start; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heapIndex.length && worse(heapIndex[l], heapIndex[m])) m = l;
      if (r < heapIndex.length && worse(heapIndex[r], heapIndex[m])) m = r;
      if (m === i) return;
      [heapIndex[i], heapIndex[m]] = [heapIndex[m], heapIndex[i]];
      i = m;
    }
  };
  for (let i = 0; i < scores.length; i++) {
    if (exclude?.has(i) || Number.isNaN(scores[i])) continue;
    if (heapIndex.length < k) {
      heapIndex.push(i);
      for (let c = heapIndex.length - 1; c > 0; ) {
        const parent = (c - 1) >> 1;
        if (!worse(heapIndex[c], heapIndex[parent])) break;
        [heapIndex[c], heapIndex[parent]] = [heapIndex[parent], heapIndex[c]];
        c = parent;
      }
    } else if (k > 0 && worse(heapIndex[0], i)) {
      heapIndex[0] = i;
      siftDown(0);
    }
  }
  return heapIndex.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}
