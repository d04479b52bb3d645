/**
 * Chooses the tfjs backend once per process. Order: FEDREC_BACKEND if set (node | wasm | cpu), else
 * @tensorflow/tfjs-node when it loaded (an optionalDependency: its install downloads libtensorflow,
 * which fails on machines without internet), else the WebAssembly backend, whose .wasm files ship
 * inside its npm package, else the plain-JS cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import { registerTypedArraySegmentSum } from './typed-array-segment-sum.ts';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
const envNames: Record<string, BackendName> = { node: 'tensorflow', tensorflow: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

let chosen: Promise<BackendName> | undefined;

/**
 * Initialises and returns the backend in use; later calls return the same one.
 * @example const backend = await selectBackend(); // 'wasm' on a machine without tfjs-node
 */
export function selectBackend(log: (line: string) => void = (l) => console.error(l)): Promise<BackendName> {
  chosen ??= choose(log);
  return chosen;
}

async function choose(log: (line: string) => void): Promise<BackendName> {
  const forced = process.env.FEDREC_BACKEND;
  if (forced !== undefined && !(forced in envNames)) {
    throw new Error(`FEDREC_BACKEND="${forced}" is not one of ${Object.keys(envNames).join(', ')}`);
  }
  const order: BackendName[] = forced ? [envNames[forced]] : ['tensorflow', 'wasm', 'cpu'];
  const failures: string[] = [];
  for (const name of order) {
    try {
      await load(name);
      if (!(await tf.setBackend(name))) throw new Error('setBackend returned false');
      await tf.ready();
      log(`fedrec: tensor backend ${name}${forced ? ' (forced by FEDREC_BACKEND)' : ''}`);
      return name;
    } catch (err) {
      failures.push(`${name}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }
  throw new Error(`no tensor backend could start (${failures.join('; ')})`);
}

async function load(name: BackendName): Promise<void> {
  if (name === 'tensorflow') {
    // A variable specifier keeps TypeScript from requiring the optional package's types.
    const optional = '@tensorflow/tfjs-node';
    await import(optional);
  } else if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    registerTypedArraySegmentSum('wasm');
  } else {
    registerTypedArraySegmentSum('cpu');
  }
}
