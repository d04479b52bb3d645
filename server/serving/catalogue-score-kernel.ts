/**
 * The inner loop of scoring a whole catalogue, as WebAssembly SIMD. For every item i:
 *
 *   out[i] = fixed[i] + categoryTerm[category[i]] − priceWeight · (logPrice[i] − meanLogPrice)²
 *          + query · rows[i]
 *   blockMax[b] = max of out over the b-th block of `blockSize` items
 *
 * The block maxima let top-k selection skip most of the catalogue (`models/recommender/top-k.ts`).
 * (`catalogue-scorer.ts` says what the arrays hold.) Plain JavaScript does one float multiply-add at
 * a time; f32x4 does four, and the module is generated for one row width, so the query stays in
 * v128 locals and each row's products are unrolled with no inner loop. On the 2-core bench machine
 * a 10,000 × 40 catalogue measured, in CPU time side by side, 798 µs in `ConceptScorer.scoreAll` (JS,
 * float64) and 85 µs through this kernel (`CatalogueScorer.scoreAll`, all terms); a looped SIMD
 * dot product alone had taken ~100 µs, the bare dot products in JS ~650 µs. Where the engine lacks SIMD the same loop runs
 * in JS (`simd: false` forces that, for tests).
 *
 * The module is assembled below from named opcodes (WebAssembly core spec 2.0, sec. 5 "Binary
 * format"; SIMD opcodes from sec. 5.4.8) rather than shipped as an opaque blob. In text form, for
 * L = width / 4 lanes:
 *
 *   (func (export "score") (param $rows $fixed $logPrice $category $categoryTerm $query $out $blockMax $count i32)
 *                          (param $priceWeight $mean f32)
 *     (local $o $end i32) (local $acc v128) (local $gap $s $m f32) (local $q0 … $q{L-1} v128)
 *     $q_l := v128.load offset=16l $query                 ;; for each lane l
 *     $end := $count << 2; $m := −∞
 *     (block (br_if 0 (i32.eqz $count))
 *       (loop
 *         $acc := f32x4.mul($q0, v128.load offset=0 $rows)
 *         $acc := f32x4.add($acc, f32x4.mul($q_l, v128.load offset=16l $rows))   ;; l = 1 … L−1
 *         $gap := f32.load($logPrice + $o) − $mean
 *         $s := ((acc₀ + acc₁) + (acc₂ + acc₃)) + f32.load($fixed + $o)
 *               + f32.load($categoryTerm + i32.load($category + $o)) − $priceWeight · $gap · $gap
 *         f32.store($out + $o, $s); $m := f32.max($m, $s)
 *         $rows += 16L; $o += 4
 *         (if (($o & (4·blockSize − 1)) = 0 or $o = $end)       ;; a block ends
 *           f32.store($blockMax + ((($o − 4) >> log₂(4·blockSize)) << 2), $m); $m := −∞)
 *         (br_if 0 (i32.ne $o $end))))
 *
 * `category` holds byte offsets into `categoryTerm` (4 · index). Sums are float32; against the
 * float64 `scoreAll` a score is off by ~1e-7 relative, which only ever orders near-ties.
 */

export interface CatalogueScoreKernel {
  /** Floats per row and in the query: the column count rounded up to a multiple of 4, zero-padded. */
  readonly width: number;
  /** items × width, row-major. Filled once by the owner, as are fixed, logPrice and category. */
  readonly rows: Float32Array;
  readonly fixed: Float32Array;
  readonly logPrice: Float32Array;
  /** 4 × the item's category index (a byte offset into categoryTerm). */
  readonly category: Int32Array;
  /** Per request. */
  readonly categoryTerm: Float32Array;
  readonly query: Float32Array;
  readonly out: Float32Array;
  /** The largest score of each block of `blockSize` items (NaN if a score in it is NaN). */
  readonly blockMax: Float32Array;
  readonly blockSize: number;
  /** Writes every item's score into `out`, and the block maxima. */
  score(priceWeight: number, meanLogPrice: number): void;
}

/** Items per block maximum: 10,000 items make 157 blocks, cheap to scan, small enough to skip well. */
export const blockSize = 64;
const blockShift = Math.log2(4 * blockSize);

const [i32, f32, v128] = [0x7f, 0x7d, 0x7b];
const op = {
  ...{ block: 0x02, loop: 0x03, brIf: 0x0d, end: 0x0b, get: 0x20, set: 0x21, tee: 0x22, i32Const: 0x41 },
  ...{ i32Eqz: 0x45, i32Eq: 0x46, i32Ne: 0x47, i32Add: 0x6a, i32Sub: 0x6b, i32And: 0x71, i32Or: 0x72, i32Shl: 0x74, i32ShrU: 0x76 },
  ...{ i32Load: 0x28, f32Load: 0x2a, f32Store: 0x38, f32Const: 0x43, f32Add: 0x92, f32Sub: 0x93, f32Mul: 0x94, f32Max: 0x97, if: 0x04 },
};
/** f32.const −∞, little-endian IEEE 754. */
const minusInfinity = [op.f32Const, 0x00, 0x00, 0x80, 0xff];
const simdOp = { load: 0x00, extractLane: 0x1f, add: 0xe4, mul: 0xe6 };

const uleb = (value: number): number[] => {
  const out: number[] = [];
  do {
    const low = value & 0x7f;
    value >>>= 7;
    out.push(value ? low | 0x80 : low);
  } while (value);
  return out;
};
/** Signed LEB128 of a non-negative i32 constant: as unsigned, plus a 0 byte if the last one reads as a sign. */
const sleb = (value: number): number[] => {
  const out = uleb(value);
  if (out[out.length - 1] & 0x40) {
    out[out.length - 1] |= 0x80;
    out.push(0);
  }
  return out;
};
const vector = (entries: number[][]): number[] => [...uleb(entries.length), ...entries.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (text: string): number[] => [...uleb(text.length), ...new TextEncoder().encode(text)];
const simd = (code: number, ...immediates: number[]): number[] => [0xfd, ...uleb(code), ...immediates];
const loadV128 = (offset: number): number[] => simd(simdOp.load, 4, ...uleb(offset));

function moduleBytes(lanes: number): Uint8Array<ArrayBuffer> {
  const [rows, fixed, logPrice, category, categoryTerm, query, out, blockMax, count, priceWeight, mean] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const [o, end, acc, gap, score, max, q0] = [11, 12, 13, 14, 15, 16, 17];
  const get = (local: number) => [op.get, local];
  const set = (local: number) => [op.set, local];
  const i32Const = (value: number) => [op.i32Const, ...sleb(value)];
  const at = (base: number) => [...get(base), ...get(o), op.i32Add];
  const lane = (n: number) => [...get(acc), ...simd(simdOp.extractLane, n)];
  const body = [
    ...vector([[2, i32], [1, v128], [3, f32], [lanes, v128]]),
    ...Array.from({ length: lanes }, (_, l) => [...get(query), ...loadV128(16 * l), ...set(q0 + l)]).flat(),
    ...get(count), ...i32Const(2), op.i32Shl, ...set(end),
    ...minusInfinity, ...set(max),
    op.block, 0x40, ...get(count), op.i32Eqz, op.brIf, 0,
    op.loop, 0x40,
    ...get(q0), ...get(rows), ...loadV128(0), ...simd(simdOp.mul), ...set(acc),
    ...Array.from({ length: lanes - 1 }, (_, l) => [...get(acc), ...get(q0 + l + 1), ...get(rows), ...loadV128(16 * (l + 1)), ...simd(simdOp.mul), ...simd(simdOp.add), ...set(acc)]).flat(),
    ...at(logPrice), op.f32Load, 2, 0, ...get(mean), op.f32Sub, ...set(gap),
    ...at(out),
    ...lane(0), ...lane(1), op.f32Add, ...lane(2), ...lane(3), op.f32Add, op.f32Add,
    ...at(fixed), op.f32Load, 2, 0, op.f32Add,
    ...get(categoryTerm), ...at(category), op.i32Load, 2, 0, op.i32Add, op.f32Load, 2, 0, op.f32Add,
    ...get(priceWeight), ...get(gap), op.f32Mul, ...get(gap), op.f32Mul, op.f32Sub,
    op.tee, score, op.f32Store, 2, 0,
    ...get(max), ...get(score), op.f32Max, ...set(max),
    ...get(rows), ...i32Const(16 * lanes), op.i32Add, ...set(rows),
    ...get(o), ...i32Const(4), op.i32Add, ...set(o),
    ...get(o), ...i32Const(4 * blockSize - 1), op.i32And, op.i32Eqz, ...get(o), ...get(end), op.i32Eq, op.i32Or,
    op.if, 0x40,
    ...get(blockMax), ...get(o), ...i32Const(4), op.i32Sub, ...i32Const(blockShift), op.i32ShrU, ...i32Const(2), op.i32Shl, op.i32Add,
    ...get(max), op.f32Store, 2, 0,
    ...minusInfinity, ...set(max),
    op.end,
    ...get(o), ...get(end), op.i32Ne, op.brIf, 0,
    op.end,
    op.end,
    op.end,
  ];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, vector([[0x60, ...vector([...new Array(9).fill([i32]), [f32], [f32]]), 0]])), // (i32 ×9, f32 ×2) → ()
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]])), // import memory, min 1 page
    ...section(3, vector([[0]])),
    ...section(7, vector([[...name('score'), 0x00, 0]])),
    ...section(10, vector([[...uleb(body.length), ...body]])),
  ]);
}

const compiled = new Map<number, WebAssembly.Module | null>();

/** The kernel compiled for `lanes` 4-float lanes per row, or null where the engine has no SIMD. */
function kernelModule(lanes: number): WebAssembly.Module | null {
  let module = compiled.get(lanes);
  if (module === undefined) {
    const bytes = moduleBytes(lanes);
    module = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    compiled.set(lanes, module);
  }
  return module;
}

/** Whether `catalogueScoreKernel` runs as WebAssembly SIMD on this engine. */
export const simdAvailable = (): boolean => kernelModule(1) !== null;

/**
 * A kernel for `items` rows of `columns` values and `categories` categories, with its own memory.
 * @example const kernel = catalogueScoreKernel(10_000, 40, 30); kernel.rows.set(matrix); …; kernel.score(0.7, 1.2);
 */
export function catalogueScoreKernel(items: number, columns: number, categories: number, options: { simd?: boolean } = {}): CatalogueScoreKernel {
  for (const [label, value, least] of [['items', items, 0], ['columns', columns, 1], ['categories', categories, 1]] as const) {
    if (!(Number.isInteger(value) && value >= least)) throw new Error(`catalogueScoreKernel: ${label} must be a whole number ≥ ${least}, got ${value}`);
  }
  const width = Math.ceil(columns / 4) * 4;
  const module = options.simd === false ? null : kernelModule(width / 4);
  // Layout, in floats: rows, query (both multiples of 4, so rows stay 16-byte aligned), then the per-item arrays.
  const blocks = Math.ceil(items / blockSize);
  const offsets = [items * width, width, items, items, items, categories, items, blocks];
  const floats = offsets.reduce((a, b) => a + b, 0);
  const memory = module ? new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((floats * 4) / 65536)) }) : undefined;
  const buffer = memory ? memory.buffer : new ArrayBuffer(floats * 4);
  let next = 0;
  const take = <T extends Float32Array | Int32Array>(View: new (buffer: ArrayBuffer, byteOffset: number, length: number) => T, length: number): T => {
    const view = new View(buffer, next * 4, length);
    next += length;
    return view;
  };
  const rows = take(Float32Array, items * width);
  const query = take(Float32Array, width);
  const [fixed, logPrice] = [take(Float32Array, items), take(Float32Array, items)];
  const category = take(Int32Array, items);
  const categoryTerm = take(Float32Array, categories);
  const out = take(Float32Array, items);
  const blockMax = take(Float32Array, blocks);
  const views = { width, rows, fixed, logPrice, category, categoryTerm, query, out, blockMax, blockSize };
  if (module && memory) {
    const run = new WebAssembly.Instance(module, { env: { memory } }).exports.score as (...args: number[]) => void;
    const addresses = [rows, fixed, logPrice, category, categoryTerm, query, out, blockMax].map((view) => view.byteOffset);
    return { ...views, score: (priceWeight, meanLogPrice) => run(...addresses, items, priceWeight, meanLogPrice) };
  }
  return {
    ...views,
    score(priceWeight, meanLogPrice) {
      blockMax.fill(-Infinity);
      for (let i = 0, r = 0; i < items; i++) {
        let sum = 0;
        for (let k = 0; k < width; k++, r++) sum += query[k] * rows[r];
        const gap = logPrice[i] - meanLogPrice;
        const score = (out[i] = sum + fixed[i] + categoryTerm[category[i] >> 2] - priceWeight * gap * gap);
        const b = Math.floor(i / blockSize);
        // Math.max propagates NaN, as f32.max does.
        blockMax[b] = Math.max(blockMax[b], score);
      }
    },
  };
}
