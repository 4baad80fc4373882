/** PostgreSQL's type OID of real (float4): an array's binary form names its element type. */
const FLOAT4_OID = 700;

/**
 * A float array in PostgreSQL's binary array format, for a parameter cast to
 * real[]: one dimension, no nulls, each element a length (4) and a
 * big-endian float4. Both drivers send a byte array as a binary parameter
 * (pg for a Buffer, the PGlite thread for any byte view), and the server
 * reads it with array_recv, without parsing text.
 *
 * Why: an item's embeddings are 2,112 floats. As text (`{v,v,…}`), each
 * number printed by JavaScript to 17 digits and parsed back by float4in,
 * the insert was the embedded database's costliest statement on a
 * simulated run: 3.73 ms a call against 0.65 as bytes, and the printing
 * 0.45 ms of the event loop against 0.06 (`npm run bench:embeddings`,
 * docs/benchmarks.md). The values stored are the same: a float4 written as
 * its four bytes is the float4 that text would have parsed to.
 */
export function float4Array(values: ArrayLike<number>): Buffer {
  if (values.length === 0) {
    // An empty array has no dimensions.
    const empty = Buffer.alloc(12);
    empty.writeInt32BE(FLOAT4_OID, 8);
    return empty;
  }
  const bytes = Buffer.alloc(20 + values.length * 8);
  bytes.writeInt32BE(1, 0); // dimensions
  bytes.writeInt32BE(0, 4); // no nulls
  bytes.writeInt32BE(FLOAT4_OID, 8);
  bytes.writeInt32BE(values.length, 12);
  bytes.writeInt32BE(1, 16); // lower bound
  for (let i = 0, at = 20; i < values.length; i++, at += 8) {
    bytes.writeInt32BE(4, at);
    bytes.writeFloatBE(values[i], at + 4);
  }
  return bytes;
}
