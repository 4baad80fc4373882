import { sql } from 'drizzle-orm';
import { DatabaseConnection } from '@loupe/database';
import { ApiClient, contentForm, makeImage, startTestApp, TestApp, waitFor } from '@loupe/testing';

jest.setTimeout(120_000);

type Role = 'admin' | 'service' | 'moderator' | 'ml_engineer' | 'analyst';
const ROLES: Role[] = ['admin', 'service', 'moderator', 'ml_engineer', 'analyst'];
const SOME_ID = '00000000-0000-4000-8000-000000000000';

const BANK_READERS: Role[] = ['admin', 'analyst', 'ml_engineer'];
const HASHERS: Role[] = ['admin', 'service', 'analyst', 'ml_engineer'];
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Every route, and the roles allowed on it; a test below checks that the list covers the OpenAPI document. */
const ROUTES: { method: Method; path: string; allowed: Role[]; json?: unknown }[] = [
  { method: 'POST', path: '/v1/contents', allowed: ['service', 'admin'] },
  { method: 'GET', path: `/v1/contents/${SOME_ID}`, allowed: ['service', 'admin', 'analyst', 'ml_engineer'] },
  { method: 'POST', path: `/v1/contents/${SOME_ID}/reports`, allowed: ['service', 'admin'], json: { policyId: 'spam', reason: 'x' } },
  { method: 'POST', path: `/v1/contents/${SOME_ID}/appeals`, allowed: ['service', 'admin'], json: { reason: 'x' } },
  { method: 'GET', path: `/v1/contents/${SOME_ID}/appeals`, allowed: ['service', 'admin', 'analyst'] },
  { method: 'POST', path: `/v1/contents/${SOME_ID}/views`, allowed: ['service', 'admin'], json: { views: 10 } },
  { method: 'GET', path: `/v1/contents/${SOME_ID}/reach`, allowed: ['service', 'admin', 'analyst'] },
  { method: 'POST', path: '/v1/views', allowed: ['service', 'admin'], json: { events: [] } },
  { method: 'POST', path: '/v1/analysis/retro-hunts', allowed: ['admin', 'analyst', 'ml_engineer'], json: {} },
  { method: 'GET', path: '/v1/analysis/retro-hunts', allowed: ['admin', 'analyst', 'ml_engineer'] },
  { method: 'GET', path: `/v1/analysis/retro-hunts/${SOME_ID}`, allowed: ['admin', 'analyst', 'ml_engineer'] },
  { method: 'GET', path: '/v1/policies', allowed: ['admin', 'ml_engineer', 'analyst', 'moderator', 'service'] },
  { method: 'PUT', path: '/v1/policies/spam/thresholds', allowed: ['admin', 'ml_engineer'], json: { review: 0.6, remove: 0.98 } },
  { method: 'GET', path: '/v1/review/next?queue=nothing-here', allowed: ['moderator'] },
  { method: 'GET', path: `/v1/review/tasks/${SOME_ID}`, allowed: ['moderator'] },
  { method: 'GET', path: `/v1/review/tasks/${SOME_ID}/preview`, allowed: ['moderator'] },
  { method: 'POST', path: `/v1/review/tasks/${SOME_ID}/reveal`, allowed: ['moderator'] },
  { method: 'POST', path: `/v1/review/tasks/${SOME_ID}/heartbeat`, allowed: ['moderator'] },
  { method: 'POST', path: `/v1/review/tasks/${SOME_ID}/skip`, allowed: ['moderator'], json: { reason: 'x' } },
  { method: 'POST', path: `/v1/review/tasks/${SOME_ID}/release`, allowed: ['moderator'] },
  { method: 'POST', path: `/v1/review/tasks/${SOME_ID}/escalate`, allowed: ['moderator'], json: { reason: 'x' } },
  { method: 'POST', path: `/v1/review/tasks/${SOME_ID}/decision`, allowed: ['moderator'], json: { labels: [{ policyId: 'spam', violating: false }] } },
  { method: 'GET', path: '/v1/review/queues', allowed: ['moderator', 'admin', 'analyst'] },
  { method: 'PUT', path: '/v1/review/queues/access-test', allowed: ['admin'], json: { policyIds: ['spam'] } },
  { method: 'GET', path: '/v1/review/routing-rules', allowed: ['admin', 'analyst'] },
  { method: 'POST', path: '/v1/review/routing-rules', allowed: ['admin'], json: { queueId: 'nothing-here' } },
  { method: 'PATCH', path: `/v1/review/routing-rules/${SOME_ID}`, allowed: ['admin'], json: { position: 1 } },
  { method: 'DELETE', path: `/v1/review/routing-rules/${SOME_ID}`, allowed: ['admin'] },
  { method: 'GET', path: '/v1/review/gold', allowed: ['admin', 'analyst'] },
  { method: 'POST', path: '/v1/review/gold', allowed: ['admin'], json: { contentId: SOME_ID, labels: [{ policyId: 'spam', violating: true }] } },
  { method: 'DELETE', path: `/v1/review/gold/${SOME_ID}`, allowed: ['admin'] },
  { method: 'GET', path: '/v1/moderators', allowed: ['admin', 'analyst'] },
  { method: 'PATCH', path: '/v1/moderators/nobody', allowed: ['admin'], json: { senior: true } },
  { method: 'GET', path: '/v1/moderators/nobody/gold', allowed: ['admin', 'analyst'] },
  { method: 'GET', path: '/v1/audit', allowed: ['admin', 'analyst'] },
  { method: 'GET', path: '/v1/labels/export', allowed: ['admin', 'ml_engineer', 'analyst'] },
  // An unknown policy: the allowed roles get 400 and no dataset is made.
  { method: 'POST', path: '/v1/datasets', allowed: ['admin', 'ml_engineer'], json: { filter: { policyIds: ['nothing-here'] } } },
  { method: 'GET', path: '/v1/datasets', allowed: ['admin', 'ml_engineer', 'analyst'] },
  { method: 'GET', path: `/v1/datasets/${SOME_ID}`, allowed: ['admin', 'ml_engineer', 'analyst'] },
  { method: 'GET', path: `/v1/datasets/${SOME_ID}/rows`, allowed: ['admin', 'ml_engineer', 'analyst'] },
  // A dataset that does not exist: the allowed roles get 404 and no run starts.
  { method: 'POST', path: '/v1/training-runs', allowed: ['admin', 'ml_engineer'], json: { datasetId: SOME_ID, params: { epochs: 0 } } },
  { method: 'GET', path: '/v1/training-runs', allowed: ['admin', 'ml_engineer', 'analyst'] },
  { method: 'GET', path: `/v1/training-runs/${SOME_ID}`, allowed: ['admin', 'ml_engineer', 'analyst'] },
  { method: 'POST', path: `/v1/training-runs/${SOME_ID}/cancel`, allowed: ['admin', 'ml_engineer'] },
  // A backfill with nothing to do (no content yet): 202, or 409 for the second role while the first's job runs.
  { method: 'POST', path: '/v1/features/backfill', allowed: ['admin', 'ml_engineer'] },
  { method: 'GET', path: '/v1/features/backfill', allowed: ['admin', 'ml_engineer', 'analyst'] },
  { method: 'GET', path: `/v1/features/backfill/${SOME_ID}`, allowed: ['admin', 'ml_engineer', 'analyst'] },
  { method: 'GET', path: '/v1/models', allowed: ['admin', 'ml_engineer', 'analyst'] },
  { method: 'GET', path: '/v1/models/deployments', allowed: ['admin', 'ml_engineer', 'analyst'] },
  // No file: the allowed roles get 400 and nothing is stored.
  { method: 'POST', path: '/v1/models/nobody/versions', allowed: ['admin', 'ml_engineer'] },
  { method: 'GET', path: '/v1/models/nobody/versions/1', allowed: ['admin', 'ml_engineer', 'analyst'] },
  { method: 'GET', path: '/v1/models/nobody/versions/1/evaluation', allowed: ['admin', 'ml_engineer', 'analyst'] },
  { method: 'PUT', path: '/v1/models/nobody/aliases/nobody', allowed: ['admin', 'ml_engineer'], json: { version: 1 } },
  { method: 'POST', path: '/v1/models/nobody/promote', allowed: ['admin', 'ml_engineer'], json: {} },
  { method: 'POST', path: '/v1/models/nobody/rollback', allowed: ['admin', 'ml_engineer'] },
  { method: 'PUT', path: '/v1/models/nobody/deployment', allowed: ['admin', 'ml_engineer'], json: { challenger: 1, mode: 'shadow' } },
  { method: 'GET', path: '/v1/models/nobody/deployment/report', allowed: ['admin', 'ml_engineer', 'analyst'] },
  { method: 'GET', path: '/v1/analysis/transparency?period=2026-Q4', allowed: ['admin', 'analyst'] },
  { method: 'GET', path: '/v1/analysis/transparency/dsa?period=2026-Q4', allowed: ['admin', 'analyst'] },
  { method: 'GET', path: '/v1/analysis/misses?period=2026-Q4', allowed: ['admin', 'analyst'] },
  { method: 'GET', path: '/v1/analysis/accuracy', allowed: ['admin', 'analyst'] },
  { method: 'GET', path: '/v1/analysis/accuracy/items', allowed: ['admin', 'analyst'] },
  // An empty body: the allowed roles get 400 and no pack is made.
  { method: 'POST', path: '/v1/analysis/training-packs', allowed: ['admin', 'analyst'], json: {} },
  { method: 'GET', path: '/v1/analysis/training-packs', allowed: ['admin', 'analyst'] },
  { method: 'GET', path: `/v1/analysis/training-packs/${SOME_ID}`, allowed: ['admin', 'analyst'] },
  { method: 'POST', path: `/v1/analysis/training-packs/${SOME_ID}/delivered`, allowed: ['admin', 'analyst'] },
  { method: 'POST', path: '/v1/analysis/trends/scan', allowed: ['admin', 'analyst'], json: {} },
  { method: 'GET', path: '/v1/analysis/trends', allowed: ['admin', 'analyst'] },
  { method: 'GET', path: '/v1/analysis/trends/top-terms?period=2026-Q4', allowed: ['admin', 'analyst'] },
  { method: 'GET', path: `/v1/analysis/trends/${SOME_ID}`, allowed: ['admin', 'analyst'] },
  { method: 'POST', path: `/v1/analysis/trends/${SOME_ID}/acknowledge`, allowed: ['admin', 'analyst'], json: {} },
  { method: 'POST', path: `/v1/analysis/trends/${SOME_ID}/work`, allowed: ['admin', 'analyst'], json: { kind: 'review_queue' } },
  { method: 'GET', path: `/v1/analysis/contents/${SOME_ID}/preview`, allowed: ['admin', 'analyst'] },
  { method: 'GET', path: '/v1/wellbeing/report', allowed: ['admin', 'analyst', 'moderator'] },
  { method: 'GET', path: '/v1/wellbeing/defaults', allowed: ['admin', 'moderator'] },
  { method: 'PUT', path: '/v1/wellbeing/defaults', allowed: ['admin'], json: { blur: 60, greyscale: true } },
  { method: 'GET', path: '/v1/me/preferences', allowed: ['moderator'] },
  { method: 'PUT', path: '/v1/me/preferences', allowed: ['moderator'], json: { blur: 40 } },
  { method: 'GET', path: '/v1/me/exposure', allowed: ['moderator'] },
  { method: 'POST', path: '/v1/me/breaks', allowed: ['moderator'], json: { minutes: 1 } },
  { method: 'GET', path: '/v1/banks', allowed: BANK_READERS },
  { method: 'POST', path: '/v1/banks', allowed: ['admin'], json: { name: 'access-test' } },
  { method: 'GET', path: `/v1/banks/${SOME_ID}`, allowed: BANK_READERS },
  { method: 'PATCH', path: `/v1/banks/${SOME_ID}`, allowed: ['admin'], json: { enabledRatio: 1 } },
  { method: 'DELETE', path: `/v1/banks/${SOME_ID}`, allowed: ['admin'] },
  { method: 'GET', path: `/v1/banks/${SOME_ID}/entries`, allowed: BANK_READERS },
  { method: 'POST', path: `/v1/banks/${SOME_ID}/entries`, allowed: ['admin'], json: { signalType: 'pdq', hash: '0'.repeat(64) } },
  { method: 'POST', path: `/v1/banks/${SOME_ID}/entries/media`, allowed: ['admin'] },
  { method: 'GET', path: `/v1/banks/${SOME_ID}/entries/${SOME_ID}`, allowed: BANK_READERS },
  { method: 'PATCH', path: `/v1/banks/${SOME_ID}/entries/${SOME_ID}`, allowed: ['admin'], json: { note: 'x' } },
  { method: 'POST', path: `/v1/banks/${SOME_ID}/entries/${SOME_ID}/disable`, allowed: ['admin'], json: { reason: 'x' } },
  { method: 'POST', path: `/v1/banks/${SOME_ID}/entries/${SOME_ID}/enable`, allowed: ['admin'] },
  { method: 'POST', path: `/v1/banks/${SOME_ID}/entries/${SOME_ID}/release`, allowed: ['admin'] },
  { method: 'POST', path: `/v1/banks/${SOME_ID}/imports`, allowed: ['admin'] },
  { method: 'GET', path: `/v1/banks/${SOME_ID}/imports/${SOME_ID}`, allowed: BANK_READERS },
  { method: 'GET', path: `/v1/banks/${SOME_ID}/export`, allowed: BANK_READERS },
  { method: 'POST', path: '/v1/hashes/hash', allowed: HASHERS },
  { method: 'POST', path: '/v1/hashes/lookup', allowed: HASHERS, json: { signalType: 'pdq', hash: '0'.repeat(64) } },
  { method: 'POST', path: '/v1/admin/api-keys', allowed: ['admin'], json: { name: 'x', role: 'analyst' } },
  { method: 'GET', path: '/v1/admin/api-keys', allowed: ['admin'] },
  { method: 'DELETE', path: `/v1/admin/api-keys/${SOME_ID}`, allowed: ['admin'] },
  // A private target: the admin's request is refused with 400 and nothing is subscribed.
  { method: 'POST', path: '/v1/webhooks', allowed: ['admin'], json: { url: 'http://10.0.0.1/hook', events: ['content.removed'] } },
  { method: 'GET', path: '/v1/webhooks', allowed: ['admin'] },
  { method: 'GET', path: `/v1/webhooks/${SOME_ID}`, allowed: ['admin'] },
  { method: 'PATCH', path: `/v1/webhooks/${SOME_ID}`, allowed: ['admin'], json: { enabled: false } },
  { method: 'DELETE', path: `/v1/webhooks/${SOME_ID}`, allowed: ['admin'] },
  { method: 'GET', path: `/v1/webhooks/${SOME_ID}/deliveries?status=dead`, allowed: ['admin'] },
  { method: 'POST', path: `/v1/webhooks/${SOME_ID}/deliveries/${SOME_ID}/replay`, allowed: ['admin'] },
  // Operations, read-only: the platform's service keys and moderators have no business there.
  { method: 'GET', path: '/metrics', allowed: ['admin', 'analyst', 'ml_engineer'] },
];

describe('access', () => {
  let loupe: TestApp;
  const clients = {} as Record<Role, ApiClient>;

  beforeAll(async () => {
    loupe = await startTestApp('embedded', { REVIEW_LEASE_SECONDS: '2' });
    for (const role of ROLES) clients[role] = role === 'admin' ? loupe.admin : await loupe.client(role);
  });
  afterAll(() => loupe?.close());

  it('leaves /health and the OpenAPI docs open', async () => {
    expect((await loupe.admin.get('/health', { key: null })).status).toBe(200);
    const docs = await loupe.admin.get('/docs/openapi.json', { key: null });
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/v1/contents', '/v1/contents/{id}', '/v1/review/next', '/v1/review/tasks/{id}/decision', '/v1/policies', '/v1/policies/{id}/thresholds', '/v1/admin/api-keys']),
    );
    expect((await loupe.admin.get('/docs', { key: null })).status).toBe(200);
  });

  it('checks every documented route in the role matrix below', async () => {
    const docs = await loupe.admin.get('/docs/openapi.json', { key: null });
    const documented = Object.entries(docs.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const covered = new Set(ROUTES.map((r) => `${r.method} ${r.path.split('?')[0].replace(/\/[0-9a-f-]{36}|\/(?:spam|nothing-here|access-test|nobody|\d+)(?=\/|$)/g, '/{id}')}`));
    const normalise = (route: string) => route.replace(/\{[a-zA-Z]+\}/g, '{id}');
    const open = new Set(['GET /health']);
    expect(documented.filter((route) => !open.has(route) && !covered.has(normalise(route)))).toEqual([]);
  });

  it.each(ROUTES.map((r) => [r.method, r.path, r]))('%s %s refuses a missing or unknown key with 401', async (_m, _p, route) => {
    const missing = await loupe.admin.request(route.method, route.path, { key: null, json: route.json });
    expect(missing.status).toBe(401);
    expect(missing.body.code).toBe('auth.missing_key');
    const unknown = await loupe.admin.request(route.method, route.path, { key: 'lp_not-a-real-key', json: route.json });
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('auth.invalid_key');
  });

  it.each(ROUTES.flatMap((route) => ROLES.map((role) => [route.method, route.path, role, route] as const)))(
    '%s %s as %s: allowed roles pass the guard, the others get 403',
    async (_m, _p, role, route) => {
      const response = await clients[role].request(route.method, route.path, { json: route.json });
      if (route.allowed.includes(role)) {
        expect([401, 403]).not.toContain(response.status);
        // Past the guard a 404 (made-up ids) or a 400 (bodies that do not fit) is expected; a 5xx is
        // a bug, never a pass. The body is in the comparison so a failure shows the error.
        expect(response.status >= 500 ? `${response.status} ${response.text}` : 'not a server error').toBe('not a server error');
      } else {
        expect(response.status).toBe(403);
        expect(response.body.code).toBe('auth.forbidden_role');
      }
    },
  );

  it('refuses a revoked key', async () => {
    const created = await loupe.admin.post('/v1/admin/api-keys', { json: { name: 'temp', role: 'analyst' } });
    const temp = loupe.admin.withKey(created.body.key);
    expect((await temp.get('/v1/policies')).status).toBe(200);
    expect((await loupe.admin.delete(`/v1/admin/api-keys/${created.body.id}`)).status).toBe(200);
    const refused = await temp.get('/v1/policies');
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('auth.invalid_key');
  });

  describe('review leases', () => {
    let alice: ApiClient;
    let bob: ApiClient;

    beforeAll(async () => {
      alice = await loupe.client('moderator', 'alice');
      bob = await loupe.client('moderator', 'bob');
      await clients.ml_engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0, remove: 1 } });
      for (const seed of [11, 12]) {
        const { body } = await clients.service.post('/v1/contents', { form: contentForm(await makeImage({ seed })) });
        await waitFor(async () => (await clients.service.get(`/v1/contents/${body.id}`)).body.status, (s) => s === 'in_review', 'review');
      }
    });

    it('lets only the lease holder read or decide a task, and refuses a decision after the lease expired', async () => {
      const task = (await alice.get('/v1/review/next')).body;
      const labels = [{ policyId: 'adult_nudity', violating: false }];

      const peek = await bob.get(`/v1/review/tasks/${task.id}`);
      expect(peek.status).toBe(403);
      expect(peek.body.code).toBe('review.not_lease_holder');
      const steal = await bob.post(`/v1/review/tasks/${task.id}/decision`, { json: { labels } });
      expect(steal.status).toBe(403);
      expect(steal.body.code).toBe('review.not_lease_holder');
      expect((await alice.get(`/v1/review/tasks/${task.id}`)).status).toBe(200);

      // REVIEW_LEASE_SECONDS is 2 here; wait past it.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const late = await alice.post(`/v1/review/tasks/${task.id}/decision`, { json: { labels } });
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('review.lease_expired');
      expect((await alice.post(`/v1/review/tasks/${task.id}/heartbeat`)).body.code).toBe('review.lease_expired');

      // The expired task went back to the queue: someone can claim it, and decide it.
      const claimedAgain = new Set<string>();
      for (let i = 0; i < 2; i++) claimedAgain.add((await bob.get('/v1/review/next')).body.id);
      expect(claimedAgain).toContain(task.id);
      const decided = await bob.post(`/v1/review/tasks/${task.id}/decision`, { json: { labels } });
      expect(decided.status).toBe(201);
      const conflicting = await bob.post(`/v1/review/tasks/${task.id}/decision`, { json: { labels: [{ policyId: 'adult_nudity', violating: true }] } });
      expect(conflicting.status).toBe(409);
      expect(conflicting.body.code).toBe('review.already_decided');
    });

    it('refuses labels that do not fit the catalog', async () => {
      const { body } = await clients.service.post('/v1/contents', { form: contentForm(await makeImage({ seed: 13 })) });
      await waitFor(async () => (await clients.service.get(`/v1/contents/${body.id}`)).body.status, (s) => s === 'in_review', 'review');
      const task = (await alice.get('/v1/review/next')).body;
      for (const labels of [[{ policyId: 'nope', violating: true }], [{ policyId: 'eating_disorder_promotion', violating: true, nuance: 'recovery' }], []]) {
        const response = await alice.post(`/v1/review/tasks/${task.id}/decision`, { json: { labels } });
        expect(response.status).toBe(400);
        expect(['review.invalid_labels', 'request.invalid']).toContain(response.body.code);
      }
    });
  });

  it('audits threshold changes with who made them', async () => {
    const response = await clients.ml_engineer.put('/v1/policies/spam/thresholds', { json: { review: 0.55, remove: 0.97 } });
    expect(response.status).toBe(200);
    expect(response.body.updatedBy).toEqual(expect.any(String));
    const inverted = await clients.ml_engineer.put('/v1/policies/spam/thresholds', { json: { review: 0.9, remove: 0.5 } });
    expect(inverted.status).toBe(400);
    expect(inverted.body.code).toBe('policy.thresholds_inverted');
    const outOfRange = await clients.ml_engineer.put('/v1/policies/spam/thresholds', { json: { review: -1, remove: 2 } });
    expect(outOfRange.status).toBe(400);
    const unknown = await clients.ml_engineer.put('/v1/policies/nope/thresholds', { json: { review: 0.1, remove: 0.2 } });
    expect(unknown.status).toBe(404);

    const rows = await loupe.get(DatabaseConnection).rows(
      sql`select actor_id, actor_role, data from audit_events where action = 'policy.thresholds.update' and entity_id = 'spam' order by id`,
    );
    const last = rows.at(-1) as { actor_id: string; actor_role: string; data: { before: unknown; after: unknown } };
    expect(last.actor_id).toBe(response.body.updatedBy);
    expect(last.actor_role).toBe('ml_engineer');
    expect(last.data.after).toEqual({ review: 0.55, remove: 0.97 });
  });
});
