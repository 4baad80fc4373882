import type { ModelVersionRow } from '@loupe/database';
import type { BackboneLineage } from '@loupe/ml';
import { BACKBONE_MODEL_NAME, backboneVersionValues, isBackboneVersion, lineageOf, refuseBackbone, refuseReservedName, servedBackbone } from './backbone-version';

const lineage = (over: Partial<BackboneLineage> = {}): BackboneLineage => ({
  backbone: 'nsfwjs-mobilenetv2@4.3.0',
  source: { package: 'nsfwjs', version: '4.3.0', architecture: 'MobileNetV2', format: 'tfjs-layers' },
  exporter: { id: 'layers-to-onnx', version: 3 },
  sha256: 'a'.repeat(64),
  bytes: 1000,
  input: { name: 'pixels', type: 'float32', shape: ['N', 224, 224, 3], layout: 'nhwc', scale: 'byte / 255' },
  outputs: [
    { name: 'probabilities', type: 'float32', shape: ['N', 5], meaning: 'softmax' },
    { name: 'pooled', type: 'float32', shape: ['N', 1280], meaning: 'embedding' },
  ],
  parity: { frames: 4, tfjsBackend: 'wasm', maxAbsDiff: { probabilities: 1e-6, pooled: 1e-5, dense: 1e-5, midGem: 1e-5 }, sameTopClass: true },
  ...over,
});

function row(version: number, l: BackboneLineage, over: Partial<ModelVersionRow> = {}): ModelVersionRow {
  const values = backboneVersionValues(l, { sha256: l.sha256, bytes: l.bytes }, null);
  return { ...values, id: `v${version}`, version, createdAt: new Date(), ...over } as ModelVersionRow;
}

describe('the backbone as a registry version', () => {
  it('records its lineage on the card, decides no policy and is never gated', () => {
    const values = backboneVersionValues(lineage(), { sha256: 'a'.repeat(64), bytes: 1000 }, 'parent-id');
    expect(values).toMatchObject({
      modelName: BACKBONE_MODEL_NAME,
      source: 'exported',
      artefactSha256: 'a'.repeat(64),
      artefactBytes: 1000,
      policies: [],
      thresholds: {},
      gates: null,
      gatesPassed: null,
      parentVersionId: 'parent-id',
      signature: { inputs: ['image'], pixels: { layout: 'nhwc', size: 224 }, outputs: ['probabilities', 'pooled'] },
      card: { kind: 'backbone', lineage: lineage() },
    });
    expect(lineageOf({ card: values.card })).toEqual(lineage());
    expect(lineageOf({ card: { model: 'policy-heads' } })).toBeNull();
  });

  it('refuses to describe bytes other than those stored', () => {
    expect(() => backboneVersionValues(lineage(), { sha256: 'b'.repeat(64), bytes: 1000 }, null)).toThrow(/not the one described/);
  });

  it('serves the newest version of this backbone by this exporter, and only one whose lineage vouches for its bytes', () => {
    const current = lineage();
    const versions = [
      row(1, lineage({ backbone: 'nsfwjs-mobilenetv2@4.2.0', sha256: 'c'.repeat(64) })),
      row(2, lineage({ exporter: { id: 'layers-to-onnx', version: 2 }, sha256: 'd'.repeat(64) })),
      row(3, current),
      row(4, lineage({ sha256: 'e'.repeat(64) }), { artefactSha256: 'f'.repeat(64) }),
      row(5, current, { modelName: 'policy-heads' }),
      row(6, current, { source: 'uploaded' }),
    ];
    expect(servedBackbone(versions, current.backbone, 3)?.version).toBe(3);
    expect(servedBackbone([...versions, row(7, lineage({ sha256: '7'.repeat(64) }))], current.backbone, 3)?.version).toBe(7);
    expect(servedBackbone(versions, current.backbone, 4)).toBeNull();
    expect(servedBackbone(versions, 'nsfwjs-mobilenetv2@4.2.0', 3)?.version).toBe(1);
    expect(servedBackbone([], current.backbone, 3)).toBeNull();
  });

  it('is never promoted or deployed, and its name is not for heads', () => {
    const backbone = row(1, lineage());
    expect(isBackboneVersion(backbone)).toBe(true);
    expect(isBackboneVersion({ modelName: 'policy-heads', source: 'trained' })).toBe(false);
    expect(() => refuseBackbone(backbone, 'promoted')).toThrow(expect.objectContaining({ code: 'model.backbone_not_deployable' }));
    expect(() => refuseBackbone({ modelName: 'policy-heads', source: 'trained', version: 2 }, 'promoted')).not.toThrow();
    expect(() => refuseReservedName('backbone')).toThrow(expect.objectContaining({ code: 'model.reserved_name' }));
    expect(() => refuseReservedName('policy-heads')).not.toThrow();
  });
});
