import { embeddingRows, FrameEmbedding } from './embedding-rows';

function frame(value: number, outputs?: Record<string, number>): FrameEmbedding {
  return { backbone: 'nsfwjs-mobilenetv2@4.3.0', pooled: Float32Array.of(value, 0), dense: Float32Array.of(value), midGem: Float32Array.of(0, value), outputs };
}

describe('embeddingRows', () => {
  it('stores a picture as one row, without per-frame outputs (its baseline row has them)', () => {
    const rows = embeddingRows('c1', [frame(1, { Porn: 0.2 })]);
    expect(rows).toEqual([{ contentId: 'c1', backbone: 'nsfwjs-mobilenetv2@4.3.0', frameIndex: null, pooled: [1, 0], dense: [1], midGem: [0, 1] }]);
  });

  it('stores a video as the mean of its frames and each frame with the backbone’s outputs on it', () => {
    const rows = embeddingRows('c2', [frame(1, { Porn: 0.2, Neutral: 0.8 }), frame(3, { Porn: 0.9, Neutral: 0.1 })]);
    expect(rows.map((row) => [row.frameIndex, row.midGem, row.outputs])).toEqual([
      [null, [0, 2], undefined],
      [0, [0, 1], { Porn: 0.2, Neutral: 0.8 }],
      [1, [0, 3], { Porn: 0.9, Neutral: 0.1 }],
    ]);
  });

  it('leaves a frame’s outputs null when the pass did not give them', () => {
    expect(embeddingRows('c3', [frame(1), frame(2)])[1].outputs).toBeNull();
  });
});
