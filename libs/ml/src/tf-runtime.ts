import type * as tfTypes from '@tensorflow/tfjs';

export type TfBackendPreference = 'auto' | 'wasm' | 'tensorflow' | 'cpu';
export type TfBackend = 'tensorflow' | 'wasm' | 'cpu';

export interface TfRuntime {
  tf: typeof tfTypes;
  backend: TfBackend;
}

let runtime: Promise<TfRuntime> | null = null;

async function tryNative(tf: typeof tfTypes): Promise<boolean> {
  try {
    // Optional dependency: its install downloads libtensorflow, which fails
    // on machines without internet, leaving a package that cannot load.
    require('@tensorflow/tfjs-node');
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function initialise(preference: TfBackendPreference): Promise<TfRuntime> {
  const tf = require('@tensorflow/tfjs') as typeof tfTypes;
  if ((preference === 'auto' || preference === 'tensorflow') && (await tryNative(tf))) {
    await tf.ready();
    return { tf, backend: 'tensorflow' };
  }
  if (preference === 'tensorflow') throw new Error('TFJS_BACKEND=tensorflow, but @tensorflow/tfjs-node is not installed');
  if (preference !== 'cpu') {
    require('@tensorflow/tfjs-backend-wasm');
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return { tf, backend: 'wasm' };
    }
    if (preference === 'wasm') throw new Error('The tfjs wasm backend failed to initialise');
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { tf, backend: 'cpu' };
}

/**
 * tfjs for this thread: tfjs-node when it installed, else the wasm backend.
 * One runtime per thread; the backend that ran is recorded with every score.
 */
export function tfRuntime(preference: TfBackendPreference): Promise<TfRuntime> {
  runtime ??= initialise(preference).catch((error) => {
    runtime = null;
    throw error;
  });
  return runtime;
}
