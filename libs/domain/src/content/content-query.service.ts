import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import {
  ContentDecisionRow,
  ContentHashRow,
  ContentMatchRepository,
  ContentMatchRow,
  ContentRepository,
  ContentRow,
  DecisionRepository,
  ModelScoreRow,
  TrainingLabelRepository,
  TrainingLabelRow,
} from '@loupe/database';
import { storedVideoProbe, VideoProbe } from '@loupe/media';

export interface ContentView {
  content: ContentRow;
  decision: ContentDecisionRow | null;
  history: ContentDecisionRow[];
  scores: ModelScoreRow[];
  hashes: ContentHashRow[];
  labels: TrainingLabelRow[];
  matches: (ContentMatchRow & { bankName: string; bankKind: string; policyId: string | null })[];
  /** A video's probe as its upload read it; null for an image, or a video uploaded before probes were kept. */
  video: VideoProbe | null;
}

@Injectable()
export class ContentQueryService {
  constructor(
    private readonly contents: ContentRepository,
    private readonly decisions: DecisionRepository,
    private readonly labels: TrainingLabelRepository,
    private readonly matches: ContentMatchRepository,
  ) {}

  async get(id: string): Promise<ContentView> {
    const content = await this.contents.findById(id);
    if (!content) throw ApiError.notFound('content.not_found', `No content ${id}`, { id });
    const [history, scores, hashes, labels, matches] = await Promise.all([
      this.decisions.history(id),
      this.contents.findScores(id),
      this.contents.findHashes(id),
      this.labels.findByContent(id),
      this.matches.findByContent(id),
    ]);
    const video = content.kind === 'video' ? storedVideoProbe(content.mediaProbe) : null;
    return { content, decision: history[0] ?? null, history, scores, hashes, labels, matches, video };
  }
}
