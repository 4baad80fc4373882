'use strict';
/*
 * Jest's node environment, with the host's typed-array constructors.
 *
 * Each Jest test file runs in a vm context with typed arrays of its own.
 * onnxruntime-node's native binding builds its output tensors from arrays of
 * the host realm, and onnxruntime-common refuses them (its check is
 * `data instanceof Float32Array`, against the context's constructor): every
 * session.run fails under Jest, and only there. Jest already hands the host's
 * ArrayBuffer and Uint8Array to the context (for Buffer); this does the same
 * for the other typed arrays. A spec opts in with the docblock
 *   @jest-environment ./libs/ml/src/testing/native-typed-arrays.environment.js
 */
const { TestEnvironment } = require('jest-environment-node');

const TYPED_ARRAYS = [
  Int8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];

class NativeTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const constructor of TYPED_ARRAYS) this.global[constructor.name] = constructor;
  }
}

module.exports = NativeTypedArraysEnvironment;
