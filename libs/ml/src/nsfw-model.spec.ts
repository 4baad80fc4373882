import { NSFW_CLASSES, NSFW_INPUT_SIZE, NsfwModel } from './nsfw-model';

jest.setTimeout(120_000);

/** A smooth deterministic image, different per seed. */
function image(seed: number): Uint8Array {
  const rgb = new Uint8Array(NSFW_INPUT_SIZE * NSFW_INPUT_SIZE * 3);
  for (let y = 0; y < NSFW_INPUT_SIZE; y++) {
    for (let x = 0; x < NSFW_INPUT_SIZE; x++) {
      const i = (y * NSFW_INPUT_SIZE + x) * 3;
      rgb[i] = (128 + 100 * Math.sin((x * (seed + 1)) / 37)) | 0;
      rgb[i + 1] = (128 + 100 * Math.cos((y * (seed + 2)) / 29)) | 0;
      rgb[i + 2] = ((x + y) * (seed + 3)) & 0xff;
    }
  }
  return rgb;
}

describe('NsfwModel', () => {
  let model: NsfwModel;
  beforeAll(async () => {
    model = await NsfwModel.load('wasm');
  });

  it('embeds in the pass that classifies: the same probabilities as classify, and both feature layers', async () => {
    for (const seed of [1, 2, 3]) {
      const rgb = image(seed);
      const plain = await model.classify(rgb);
      const both = await model.classifyWithEmbedding(rgb);
      expect(Object.keys(both.outputs).sort()).toEqual([...NSFW_CLASSES].sort());
      for (const name of NSFW_CLASSES) expect(Math.abs(both.outputs[name] - plain.outputs[name])).toBeLessThan(1e-6);
      expect(both).toMatchObject({ modelId: plain.modelId, modelVersion: plain.modelVersion, backend: plain.backend });
      expect(both.embedding.backbone).toBe(`${plain.modelId}@${plain.modelVersion}`);
      expect(both.embedding.pooled).toHaveLength(1280);
      expect(both.embedding.dense).toHaveLength(256);
      expect(both.embedding.midGem).toHaveLength(576);
      // All follow a ReLU: never negative, and an image lights up some of them.
      for (const vector of [both.embedding.pooled, both.embedding.dense, both.embedding.midGem]) {
        expect(vector.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
        expect(vector.some((v) => v > 0)).toBe(true);
      }
    }
  });

  it('gives the same embedding for the same image, and another for another image', async () => {
    const a = await model.classifyWithEmbedding(image(4));
    const again = await model.classifyWithEmbedding(image(4));
    const other = await model.classifyWithEmbedding(image(5));
    expect(Array.from(again.embedding.pooled)).toEqual(Array.from(a.embedding.pooled));
    expect(Array.from(other.embedding.pooled)).not.toEqual(Array.from(a.embedding.pooled));
    expect(Array.from(again.embedding.midGem)).toEqual(Array.from(a.embedding.midGem));
    expect(Array.from(other.embedding.midGem)).not.toEqual(Array.from(a.embedding.midGem));
  });

  it('refuses an input that is not 224x224 RGB', async () => {
    await expect(model.classifyWithEmbedding(new Uint8Array(10))).rejects.toThrow(/Expected 224x224 RGB input/);
  });
});
