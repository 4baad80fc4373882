/*
 * A small builder of item histories for the misses specs: each item's
 * upload, routing decisions, scores and views, at minutes after a fixed
 * start. Not production code.
 */
import type { MissDecisionRecord, MissHistory, MissScoreRecord } from '@loupe/database';
import type { ContentKind } from '@loupe/vocabulary';

export const T0 = new Date('2026-12-01T00:00:00Z').getTime();
export const at = (minutes: number) => new Date(T0 + minutes * 60_000);
export const PERIOD = { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-02T00:00:00Z') };

export class HistoryBuilder {
  readonly history: MissHistory = { contents: [], decisions: [], scores: [], findings: [], virality: [], gold: [], views: [] };
  private seq = 0;

  content(id: string, fields: { kind?: ContentKind; region?: string; language?: string; at?: number } = {}): this {
    this.history.contents.push({ id, kind: fields.kind ?? 'image', region: fields.region ?? 'DE', language: fields.language ?? 'de', uploadedAt: at(fields.at ?? 0) });
    return this;
  }

  decision(contentId: string, minutes: number, fields: Partial<MissDecisionRecord> & Pick<MissDecisionRecord, 'outcome' | 'source'>): string {
    const id = fields.id ?? `d${++this.seq}`;
    this.history.decisions.push({
      contentId,
      policyIds: [],
      modelVersion: null,
      bankEntryId: null,
      matchDistance: null,
      actorId: null,
      thresholds: null,
      caseSource: null,
      overturned: false,
      ...fields,
      id,
      at: at(minutes),
    });
    return id;
  }

  /** The model scored the item and routed it: the champion's scores and the routing decision. */
  modelRouted(contentId: string, minutes: number, outcome: MissDecisionRecord['outcome'], scores: Record<string, number>, review: Record<string, number>): string {
    this.score(contentId, minutes, scores);
    const thresholds = Object.fromEntries(Object.keys(scores).map((p) => [p, { review: review[p] ?? 0.6, remove: 0.95 }]));
    return this.decision(contentId, minutes, {
      outcome,
      source: 'model',
      modelVersion: 'nsfwjs@1',
      thresholds,
      policyIds: outcome === 'allowed' ? [] : Object.keys(scores),
    });
  }

  score(contentId: string, minutes: number, policyScores: Record<string, number>, fields: Partial<MissScoreRecord> = {}): this {
    this.history.scores.push({ contentId, modelId: 'nsfwjs', modelVersion: '1', policyScores, servingRole: 'champion', acted: true, at: at(minutes), ...fields });
    return this;
  }

  views(contentId: string, minutes: number, views: number): this {
    this.history.views.push({ contentId, views, at: at(minutes) });
    return this;
  }
}
