/**
 * Where DP noise and Poisson sampling get their randomness. The privacy guarantee assumes the
 * noise is unpredictable, so every source here is a cryptographic one; Math.random (a fast,
 * predictable xorshift in V8) is never used.
 *
 * - `CryptoRandomSource` (the default) draws from the OS CSPRNG through node:crypto.
 * - `SeededRandomSource` is for tests and simulations that must replay: the AES-256-CTR keystream
 *   under key SHA-256(seed). It is still a CSPRNG (AES in counter mode is a PRF-based generator,
 *   NIST SP 800-90A's CTR_DRBG idea), but anyone who knows the seed knows the noise, so a real
 *   job must never be given one.
 */
import { createCipheriv, createHash, randomFillSync, type Cipher } from 'node:crypto';
import { addGaussian, fillGaussian, type NoiseTarget } from './gaussian-noise.ts';

/** A source of uniform and Gaussian draws. */
export interface RandomSource {
  /** A uniform draw from the open interval (0, 1), with 53 random bits. */
  uniform(): number;
  /** Overwrites every entry of `out` with an independent N(0, std²) draw; returns `out`. */
  fillGaussian<T extends NoiseTarget>(out: T, std: number): T;
  /** Adds an independent N(0, std²) draw to every entry of `out` in place; returns `out`. */
  addGaussian<T extends NoiseTarget>(out: T, std: number): T;
}

/** 64 KiB per refill: one syscall or cipher call per 8,192 uniforms. */
const BUFFER_BYTES = 1 << 16;
const TWO_POW_32 = 2 ** 32;
const TWO_POW_53 = 2 ** 53;

/** Turns a stream of random bytes into uniforms; subclasses only say where the bytes come from. */
abstract class BufferedRandomSource implements RandomSource {
  private view: DataView = new DataView(new ArrayBuffer(0));
  private offset = 0;

  /** The next BUFFER_BYTES bytes of the stream. */
  protected abstract nextBytes(): Uint8Array;

  uniform(): number {
    for (;;) {
      if (this.offset + 8 > this.view.byteLength) {
        const bytes = this.nextBytes();
        this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        this.offset = 0;
      }
      // 21 + 32 = 53 bits: every double k / 2^53 is equally likely; k = 0 is redrawn so the
      // result is never 0 (log(0) in the polar method or the Poisson sampler).
      const hi = this.view.getUint32(this.offset, true) >>> 11;
      const lo = this.view.getUint32(this.offset + 4, true);
      this.offset += 8;
      const k = hi * TWO_POW_32 + lo;
      if (k !== 0) return k / TWO_POW_53;
    }
  }

  fillGaussian<T extends NoiseTarget>(out: T, std: number): T {
    return fillGaussian(this, out, std);
  }

  addGaussian<T extends NoiseTarget>(out: T, std: number): T {
    return addGaussian(this, out, std);
  }
}

/** Randomness from the operating system's CSPRNG (node:crypto `randomFillSync`). */
export class CryptoRandomSource extends BufferedRandomSource {
  protected nextBytes(): Uint8Array {
    return randomFillSync(new Uint8Array(BUFFER_BYTES));
  }
}

/**
 * A replayable CSPRNG: the AES-256-CTR keystream (counter from 0) under key SHA-256(seed).
 * Numbers and bigints are hashed as their decimal text, so 42 and '42' give the same stream.
 *
 * @example new SeededRandomSource('sim-run-7').uniform() // the same value on every run
 */
export class SeededRandomSource extends BufferedRandomSource {
  private readonly cipher: Cipher;
  private readonly zeros = new Uint8Array(BUFFER_BYTES);

  constructor(seed: string | number | bigint | Uint8Array) {
    super();
    const key = createHash('sha256')
      .update(seed instanceof Uint8Array ? seed : String(seed))
      .digest();
    this.cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  }

  protected nextBytes(): Uint8Array {
    // Encrypting zeros yields the bare keystream; the cipher keeps its counter between calls.
    return this.cipher.update(this.zeros);
  }
}

let shared: RandomSource | undefined;

/**
 * The process-wide OS-backed source that DP code uses unless a test passes its own.
 *
 * @example defaultRandomSource().addGaussian(sum, sigma * clipNorm)
 */
export function defaultRandomSource(): RandomSource {
  shared ??= new CryptoRandomSource();
  return shared;
}
