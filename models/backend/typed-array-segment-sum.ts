/**
 * UnsortedSegmentSum is the gradient of tf.gather (every embedding lookup) and carries the
 * repeat-purchase term of the loss, with one segment per (example, candidate) pair: ~500,000
 * segments a batch. tfjs-backend-wasm 4.22 has no such kernel, and tfjs-backend-cpu 4.22's loops
 * over the segments building an equality mask per segment, so one training step on the cpu
 * backend takes minutes. This replaces both with a single pass over the rows, adding each into its
 * segment: O(rows × row size), whatever the number of segments.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The two backend calls the cpu kernel needs (tfjs-backend-cpu is not a direct dependency). */
interface TypedArrayBackend {
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.backend_util.BackendValues): tf.TensorInfo;
}

const registered = new Set<string>();

/**
 * Installs the typed-array kernel for `backendName`, replacing the stock one; idempotent.
 * @example registerTypedArraySegmentSum('cpu'); // before the first training step on the cpu backend
 */
export function registerTypedArraySegmentSum(backendName: 'wasm' | 'cpu'): void {
  if (registered.has(backendName)) return;
  registered.add(backendName);
  if (tf.getKernel('UnsortedSegmentSum', backendName)) tf.unregisterKernel('UnsortedSegmentSum', backendName);
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum (${backendName}): expected float32 values, got ${x.dtype}`);
      const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
      if (backendName === 'wasm') {
        const wasm = backend as BackendWasm;
        const out = wasm.makeOutput(outShape, 'float32');
        const sums = wasm.typedArrayFromHeap(out) as Float32Array;
        sums.fill(0);
        addIntoSegments(wasm.readSync(x.dataId) as Float32Array, wasm.readSync(segmentIds.dataId) as Int32Array, x.shape, segmentIds.shape, sums);
        return out;
      }
      const cpu = backend as unknown as TypedArrayBackend;
      const sums = new Float32Array(outShape.reduce((a, b) => a * b, 1));
      addIntoSegments(cpu.readSync(x.dataId) as Float32Array, cpu.readSync(segmentIds.dataId) as Int32Array, x.shape, segmentIds.shape, sums);
      return cpu.makeTensorInfo(outShape, 'float32', sums);
    },
  });
}

/** sums[segment(r)] += row r; rows whose segment is out of range are dropped, as in TensorFlow. */
function addIntoSegments(values: Float32Array, ids: Int32Array, valueShape: number[], idShape: number[], sums: Float32Array): void {
  const rows = idShape.reduce((a, b) => a * b, 1);
  const rowSize = valueShape.slice(idShape.length).reduce((a, b) => a * b, 1);
  const numSegments = sums.length / rowSize;
  for (let r = 0; r < rows; r++) {
    const segment = ids[r];
    if (segment < 0 || segment >= numSegments) continue;
    const from = r * rowSize;
    const to = segment * rowSize;
    for (let k = 0; k < rowSize; k++) sums[to + k] += values[from + k];
  }
}
