/**
 * Every client's sum of a round, kept for a robust rule, and the per-coordinate pass over them.
 * Memory: clients × model size × 4 bytes (float32, as the sums arrived), stated in `heldBytes` and
 * bounded per job before a round opens (`aggregationBytes`, training-job.ts). The pass works in
 * blocks of coordinates and yields to the event loop between blocks, so a round of 1,000 clients
 * does not stall the sockets while it sorts.
 */

/** Work per event-loop turn, ms: short next to socket.io's 20 s ping timeout and a request's p99. */
const sliceMs = 8;

export class HeldSums {
  readonly sums: Float32Array[] = [];

  constructor(readonly size: number) {}

  add(values: Float32Array, name: string): void {
    if (values.length !== this.size) throw new Error(`${name}.add: update has ${values.length} values, the sum has ${this.size}`);
    // A copy: the received array is a view into the socket's buffer, which must not be kept alive or reused.
    this.sums.push(values.slice());
  }

  get clients(): number {
    return this.sums.length;
  }

  heldBytes(): number {
    return this.sums.length * this.size * 4;
  }

  /**
   * out[i] = reduce(sorted values of coordinate i over the clients), for every i, yielding between
   * slices of about `sliceMs`.
   */
  async mapSorted(reduce: (sorted: Float64Array) => number): Promise<Float64Array> {
    const out = new Float64Array(this.size);
    const n = this.sums.length;
    if (n === 0) return out;
    const column = new Float64Array(n);
    let sliceStarted = performance.now();
    for (let i = 0; i < this.size; i++) {
      for (let j = 0; j < n; j++) column[j] = this.sums[j][i];
      column.sort();
      out[i] = reduce(column);
      if ((i & 63) === 63 && performance.now() - sliceStarted > sliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStarted = performance.now();
      }
    }
    return out;
  }
}
