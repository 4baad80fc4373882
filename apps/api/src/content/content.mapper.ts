import type { ContentDecisionRow, ContentRow, ContentView, ModelScoreRow } from '@loupe/domain/content';
import { ContentCreatedDto, ContentDecisionDto, ContentDto, ContentScoreDto } from './content.dto';

export function toContentCreatedDto(content: ContentRow): ContentCreatedDto {
  return { id: content.id, status: content.status };
}

/** `history` lets a decision show the appeal that overturned it. */
export function toContentDecisionDto(decision: ContentDecisionRow, history: ContentDecisionRow[] = []): ContentDecisionDto {
  return {
    id: decision.id,
    outcome: decision.outcome,
    source: decision.source,
    reason: decision.reason,
    policyIds: decision.policyIds,
    modelVersion: decision.modelVersion,
    matchDistance: decision.matchDistance,
    actorId: decision.actorId,
    overturnsDecisionId: decision.overturnsDecisionId,
    overturnedByDecisionId: history.find((later) => later.overturnsDecisionId === decision.id)?.id ?? null,
    decidedAt: decision.createdAt,
  };
}

export function toContentScoreDto(score: ModelScoreRow): ContentScoreDto {
  return {
    modelId: score.modelId,
    modelVersion: score.modelVersion,
    backend: score.backend,
    servingRole: score.servingRole,
    acted: score.acted,
    outputs: score.outputs,
    policyScores: score.policyScores,
    scoredAt: score.createdAt,
  };
}

export function toContentDto(view: ContentView): ContentDto {
  const { content } = view;
  const pdq = view.hashes.find((h) => h.signalType === 'pdq' && h.frameIndex === null);
  return {
    id: content.id,
    kind: content.kind,
    status: content.status,
    media: {
      sha256: content.mediaSha256,
      format: content.mediaFormat,
      bytes: content.mediaBytes,
      width: content.width,
      height: content.height,
      video: view.video
        ? { durationSeconds: view.video.duration, frameRate: view.video.frameRate, codec: view.video.codec, hasAudio: view.video.hasAudio, rotation: view.video.rotation }
        : null,
    },
    caption: content.caption,
    hashtags: content.hashtags,
    creatorId: content.creatorId,
    region: content.region,
    language: content.language,
    decision: view.decision ? toContentDecisionDto(view.decision, view.history) : null,
    history: view.history.map((d) => toContentDecisionDto(d, view.history)),
    scores: view.scores.map(toContentScoreDto),
    hash: pdq ? { signalType: pdq.signalType, hash: pdq.hash, quality: pdq.quality } : null,
    frames: view.hashes
      .filter((h) => h.signalType === 'vpdq')
      .map((h) => ({ frameNumber: h.frameIndex ?? 0, timestamp: h.timestampSeconds ?? 0, quality: h.quality, pdq: h.hash })),
    matches: view.matches.map((m) => ({
      bankId: m.bankId,
      bankName: m.bankName,
      bankKind: m.bankKind,
      policyId: m.policyId,
      entryId: m.entryId,
      distance: m.distance,
      queryMatchPercent: m.queryMatchPercent,
      comparedMatchPercent: m.comparedMatchPercent,
      disposition: m.disposition,
      feedback: m.feedback,
    })),
    labels: view.labels.map((l) => ({
      labels: l.labels,
      outcome: l.outcome,
      provenance: l.provenance,
      labellerId: l.labellerId,
      labelledAt: l.labelledAt,
    })),
    failure: content.failureCode ? { code: content.failureCode, reason: content.failureReason ?? '' } : null,
    postedAt: content.postedAt,
    createdAt: content.createdAt,
    updatedAt: content.updatedAt,
  };
}
