import type { ImageEmbedding, ModelScoresResult, TfBackendPreference } from '@loupe/ml';

/** What crosses the thread boundary: plain data, with pixel buffers transferred, not copied. */
export interface PdqTaskInput {
  rgb: Uint8Array;
  width: number;
  height: number;
  dihedral: boolean;
}

export interface PdqTaskResult {
  hash: string;
  quality: number;
  /** The 8 dihedral hashes in the reference order, when asked for. */
  dihedral?: string[];
}

export interface NsfwTaskInput {
  rgb: Uint8Array;
}

/** The scores and, from the same forward pass, the backbone's embedding. */
export type NsfwTaskResult = ModelScoresResult & { embedding: ImageEmbedding };

export interface ComputeWorkerData {
  tfjsBackend: TfBackendPreference;
}
