import type { ApiClient } from './api-client';
import { contentForm, ContentFields } from './factories/content.factory';
import { makeImage } from './factories/image.factory';
import type { TestApp } from './test-app';
import { waitFor } from './wait-for';

export type PolicyLabel = { policyId: string; violating: boolean; nuance?: string };

export const violating = (policyId = 'adult_nudity'): PolicyLabel[] => [{ policyId, violating: true }];
export const notViolating = (policyId = 'adult_nudity'): PolicyLabel[] => [{ policyId, violating: false }];

/** Uploads a synthetic image and waits until routing has settled it; returns its id. */
export async function uploadSettled(service: ApiClient, seed: number, fields: ContentFields = {}): Promise<{ id: string; status: string }> {
  return settledUpload(service, contentForm(await makeImage({ seed }), fields));
}

/** A video (an MP4) uploaded, once it has its first decision. */
export async function uploadVideoSettled(service: ApiClient, video: Buffer): Promise<{ id: string; status: string }> {
  return settledUpload(service, contentForm(video, {}, 'clip.mp4', 'mp4'));
}

async function settledUpload(service: ApiClient, form: FormData): Promise<{ id: string; status: string }> {
  const response = await service.post('/v1/contents', { form });
  if (response.status !== 202) throw new Error(`upload failed: ${response.status} ${response.text}`);
  const id = response.body.id as string;
  const settled = await waitFor(
    async () => (await service.get(`/v1/contents/${id}`)).body,
    (c) => !['received', 'processing'].includes(c.status),
    `content ${id} to settle`,
  );
  return { id, status: settled.status };
}

/**
 * Sends every scored image to review by the model (review threshold 0), and
 * never removes by the model (remove threshold 1).
 */
export async function reviewEverything(loupe: TestApp): Promise<void> {
  const engineer = await loupe.client('ml_engineer');
  const changed = await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0, remove: 1 } });
  if (changed.status !== 200) throw new Error(`thresholds: ${changed.status} ${changed.text}`);
}

/**
 * A queue of its own, fed by a rule on region: tests that each use their own
 * region do not see each other's tasks.
 */
export async function isolatedQueue(
  loupe: TestApp,
  id: string,
  region: string,
  options: { sources?: string[]; slaMinutes?: number; consensusReviews?: number; goldRate?: number; ruleConsensus?: number } = {},
): Promise<{ ruleId: string }> {
  // The queue sets no keys of its own, so that only the rule routes to it.
  const queue = await loupe.admin.put(`/v1/review/queues/${id}`, {
    json: { name: id, slaMinutes: options.slaMinutes, consensusReviews: options.consensusReviews, goldRate: options.goldRate },
  });
  if (queue.status !== 200) throw new Error(`queue: ${queue.status} ${queue.text}`);
  const rule = await loupe.admin.post('/v1/review/routing-rules', {
    json: { name: `${id} by region`, position: 0, conditions: { regions: [region], sources: options.sources }, queueId: id, consensusReviews: options.ruleConsensus },
  });
  if (rule.status !== 201) throw new Error(`rule: ${rule.status} ${rule.text}`);
  return { ruleId: rule.body.id };
}

/** The moderator id (their API key's id) behind a key name. */
export async function moderatorIdOf(loupe: TestApp, name: string): Promise<string> {
  const list = await loupe.admin.get('/v1/moderators');
  const found = (list.body as { id: string; name: string }[]).find((m) => m.name === name);
  if (!found) throw new Error(`no moderator named ${name}`);
  return found.id;
}

export async function claim(moderator: ApiClient, queue?: string): Promise<any> {
  const response = await moderator.get(`/v1/review/next${queue ? `?queue=${encodeURIComponent(queue)}` : ''}`);
  if (response.status === 204) return null;
  if (response.status !== 200) throw new Error(`claim: ${response.status} ${response.text}`);
  return response.body;
}

export async function decide(moderator: ApiClient, taskId: string, labels: PolicyLabel[], extra: { action?: string; note?: string } = {}): Promise<any> {
  const response = await moderator.post(`/v1/review/tasks/${taskId}/decision`, { json: { labels, ...extra } });
  if (response.status !== 201) throw new Error(`decide: ${response.status} ${response.text}`);
  return response.body;
}

/** The export, parsed. */
export async function exportLabels(client: ApiClient, query = ''): Promise<any[]> {
  const response = await client.get(`/v1/labels/export${query ? `?${query}` : ''}`);
  if (response.status !== 200) throw new Error(`export: ${response.status} ${response.text}`);
  return response.text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}
