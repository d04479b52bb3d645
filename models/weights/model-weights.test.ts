import { expect } from 'chai';
import fc from 'fast-check';
import { allocateWeights, deserializeWeights, parameterView, serializeWeights, type ModelWeights } from './model-weights.ts';

/** Weights whose values are the given raw bit patterns (any NaN payload, ±0, subnormals, ±∞). */
function weightsFromBits(bits: number[], meta: Record<string, unknown> = {}): ModelWeights {
  const weights = allocateWeights([{ name: 'a', shape: [bits.length] }], meta, 3);
  new Uint32Array(weights.values.buffer, weights.values.byteOffset, weights.values.length).set(bits);
  return weights;
}

const bitsOf = (values: Float32Array): Uint32Array => new Uint32Array(values.buffer, values.byteOffset, values.length);

describe('serializeWeights / deserializeWeights', () => {
  it('round-trips every float32 bit pattern exactly, NaN payloads and -0 included', () => {
    const specials = fc.constantFrom(0x7fc00000, 0x7f800001, 0xffc00123, 0x7fbfffff, 0x80000000, 0x00000001, 0x7f800000, 0xff800000);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), specials), { maxLength: 300 }), fc.string({ maxLength: 40 }), (bits, label) => {
        const weights = weightsFromBits(bits, { label });
        const back = deserializeWeights(serializeWeights(weights));
        expect(Array.from(bitsOf(back.values))).to.deep.equal(bits);
        expect(back.manifest).to.deep.equal(weights.manifest);
      }),
      { numRuns: 200 },
    );
  });

  it('reads bytes that sit at an odd offset of a larger buffer', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 64 }), fc.integer({ min: 1, max: 7 }), (bits, offset) => {
        const bytes = serializeWeights(weightsFromBits(bits));
        const shifted = new Uint8Array(bytes.length + offset + 3);
        shifted.set(bytes, offset);
        const back = deserializeWeights(shifted.subarray(offset, offset + bytes.length));
        expect(Array.from(bitsOf(back.values))).to.deep.equal(bits);
      }),
      { numRuns: 100 },
    );
  });

  it('reads aligned values in place and copies misaligned ones', () => {
    const bytes = serializeWeights(weightsFromBits([1, 2, 3]));
    expect(deserializeWeights(bytes).values.buffer).to.equal(bytes.buffer);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const copied = deserializeWeights(shifted.subarray(1));
    expect(copied.values.buffer).to.not.equal(shifted.buffer);
    expect(copied.values.byteOffset % 4).to.equal(0);
  });

  it('serialises a view into a larger buffer (a parameter subarray) without its neighbours', () => {
    const big = allocateWeights([{ name: 'a', shape: [3] }, { name: 'b', shape: [2, 2] }], {});
    big.values.set([1, 2, 3, -0, Number.NaN, 5, 6]);
    const view: ModelWeights = { manifest: { ...big.manifest, parameters: [{ name: 'b', shape: [2, 2], offset: 0, length: 4 }], size: 4 }, values: parameterView(big, 'b') };
    expect(Array.from(bitsOf(deserializeWeights(serializeWeights(view)).values))).to.deep.equal(Array.from(bitsOf(big.values.subarray(3))));
  });

  it('rejects a truncated payload or header, naming the sizes', () => {
    const bytes = serializeWeights(weightsFromBits([1, 2, 3]));
    expect(() => deserializeWeights(bytes.subarray(0, bytes.length - 4))).to.throw(/manifest says 3 values, payload holds 2/);
    expect(() => deserializeWeights(bytes.subarray(0, 2))).to.throw(/too short/);
    expect(() => deserializeWeights(bytes.subarray(0, 10))).to.throw(/overruns/);
  });
});
