import type { BackboneLineage, BackboneSource, BackboneState, ImageEmbedding, ModelScoresResult, SparseVector, TextFeatureInput, TfBackendPreference } from '@loupe/ml';

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

/** A heads graph to run after the backbone: by the sha256 of its artefact, and where it is. */
export interface HeadsRef {
  sha256: string;
  path: string;
}

export interface ClassifyTaskInput {
  rgb: Uint8Array;
  heads: HeadsRef[];
  text: TextFeatureInput;
}

/** One heads graph's scores per policy, or why it could not run (the item is still scored by the rest). */
export type HeadsOutcome = { scores: Record<string, number> } | { error: string };

export type ClassifyTaskResult = NsfwTaskResult & { heads: Record<string, HeadsOutcome> };

/**
 * Items scored by one heads graph: evaluation runs the graph as serving does.
 * A graph that reads features takes the stored embedding and text features;
 * one that reads pixels takes one stored frame per item (224 × 224 RGB bytes).
 */
export interface ScoreHeadsTaskInput {
  heads: HeadsRef;
  items: { image: Float32Array | null; text: SparseVector | null; pixels?: Uint8Array | null }[];
}

/** What a heads graph reads: the backbone's and the text's features, or the item's pixels, frame by frame. */
export interface DescribeHeadsTaskResult {
  policies: string[];
  reads: 'features' | 'pixels';
  /** The backbone embedding a graph that reads features takes (an uploaded model's may not be the one Loupe's heads take); null when none. */
  readout: 'pooled' | 'dense' | 'midGem' | null;
}

export interface ScoreHeadsTaskResult {
  policies: string[];
  /** Row-major [items, policies]. */
  scores: Float32Array;
}

export interface ComputeWorkerData {
  tfjsBackend: TfBackendPreference;
  /** onnxruntime: the backbone's exported graph (the registry's artefact); tfjs otherwise, and as the fallback. */
  backboneRuntime: 'onnxruntime' | 'tfjs';
}

/** The pool adds where the backbone's graph is to every task that runs the backbone: a thread loads it on its first. */
export type WithBackbone<T> = T & { backbone: BackboneSource };

/** The graph made (or found kept in `dir`) for the registry: bytes transferred, with their lineage. */
export interface PrepareBackboneTaskInput {
  dir: string;
}
export interface PrepareBackboneTaskResult {
  bytes: Uint8Array;
  lineage: BackboneLineage;
  exported: boolean;
}

/** What a thread posts to the pool once it has loaded the backbone. */
export interface BackboneStateMessage {
  type: 'loupe.backbone-state';
  threadId: number;
  state: BackboneState;
}
