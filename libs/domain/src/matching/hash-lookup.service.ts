import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import type { VpdqFeature } from '@loupe/hashing';
import type { StagedFile } from '@loupe/media';
import { asApiErrors } from '../signals/media-error.mapper';
import { MediaInspector } from '../signals/media-inspector.service';
import { SignalExtractor } from '../signals/signal-extractor.service';
import { HashMatchService, MatchOutcome } from './hash-match.service';

export type HashedMedia =
  | { kind: 'image'; width: number; height: number; pdq: string; quality: number; dihedral: string[] }
  | { kind: 'video'; width: number; height: number; durationSeconds: number | null; frameRate: number; frames: VpdqFeature[] };

export type LookupQuery =
  | { signalType: 'pdq'; hash: string; quality?: number; dihedral?: string[] }
  | { signalType: 'vpdq'; frames: VpdqFeature[] };

/** A lookup by uploaded file, or by hash. */
export type LookupInput = { file: StagedFile; query?: undefined } | { file?: undefined; query: LookupQuery };

export interface LookupResult {
  query: { signalType: 'pdq' | 'vpdq'; hash?: string; quality: number; frameCount?: number };
  outcome: MatchOutcome;
}

/** The hashes API: hash an uploaded file, and look a hash or a file up in the banks. */
@Injectable()
export class HashLookupService {
  constructor(
    private readonly inspector: MediaInspector,
    private readonly signals: SignalExtractor,
    private readonly matcher: HashMatchService,
    private readonly config: LoupeConfig,
  ) {}

  async hashFile(file: StagedFile, options: { fps?: number } = {}): Promise<HashedMedia> {
    return asApiErrors(async () => {
      const media = await this.inspector.inspect(file.path);
      // Inside one HTTP request: the frame count is bounded well below what a job may hash.
      const frameLimit = this.config.video.syncHashMaxFrames;
      const { animation } = media;
      if (media.format.kind === 'image' && !animation) {
        const { width, height, pdq, quality, dihedral } = await this.signals.image(file.path);
        return { kind: 'image', width, height, pdq, quality, dihedral };
      }
      // An animated image is hashed as ingest hashes it: vPDQ, like a video.
      const { probe, frames } = animation
        ? await this.signals.animation(file.path, animation, { fps: options.fps, modelFrames: 0, frameLimit })
        : await this.signals.video(file.path, { fps: options.fps, modelFrames: 0, frameLimit });
      return { kind: 'video', width: probe.width, height: probe.height, durationSeconds: probe.duration, frameRate: probe.frameRate, frames };
    });
  }

  lookupBy(input: LookupInput): Promise<LookupResult> {
    return input.file ? this.lookupFile(input.file) : this.lookup(input.query);
  }

  async lookupFile(file: StagedFile): Promise<LookupResult> {
    const hashed = await this.hashFile(file);
    return hashed.kind === 'image'
      ? this.lookup({ signalType: 'pdq', hash: hashed.pdq, quality: hashed.quality, dihedral: hashed.dihedral })
      : this.lookup({ signalType: 'vpdq', frames: hashed.frames });
  }

  /**
   * Matches against every bank with the same rules as ingest, reporting what
   * each match would do. A bare hash is searched as given: its dihedral
   * variants come from the image, so only a file lookup searches all eight.
   */
  async lookup(query: LookupQuery): Promise<LookupResult> {
    if (query.signalType === 'pdq') {
      const quality = query.quality ?? 100;
      const outcome = await this.matcher.matchImage({ pdq: query.hash, quality, dihedral: query.dihedral }, query.hash);
      return { query: { signalType: 'pdq', hash: query.hash, quality }, outcome };
    }
    if (query.frames.length === 0) throw ApiError.badRequest('lookup.no_frames', 'A vpdq lookup needs at least one frame');
    const sampleKey = query.frames.map((f) => f.pdq).join('');
    const outcome = await this.matcher.matchVideo(query.frames, sampleKey);
    return { query: { signalType: 'vpdq', quality: Math.max(...query.frames.map((f) => f.quality)), frameCount: query.frames.length }, outcome };
  }
}
