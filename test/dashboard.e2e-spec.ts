import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DatabaseConnection } from '@loupe/database';
import {
  ApiClient,
  claim,
  contentForm,
  decide,
  isolatedQueue,
  makeImage,
  moveContentTo,
  notViolating,
  PolicyLabel,
  ROOT,
  startTestApp,
  StoreKind,
  TestApp,
  uploadSettled,
  violating,
  waitFor,
} from '@loupe/testing';
import { haveChromium, launchChromium } from './utils/chromium';

jest.setTimeout(150_000);

const HOUR = 3_600_000;
/** Flagged items in the hours before the burst, and the burst: a Poisson jump against that baseline (see poisson-burst.ts). */
const STEADY_ITEMS = 12;
const BURST_ITEMS = 7;
const yes: PolicyLabel[] = violating();
const no: PolicyLabel[] = notViolating();

const currentQuarter = (now = new Date()) => `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;

/**
 * The analysts' dashboard in headless Chromium, on a small history built
 * through HTTP so that every section has data: two misses (a moderator's
 * allow, a blind spot of the model), re-uploads of the blind spot's picture
 * removed by the bank (a steady hour, then a burst of #burst two hours ago:
 * a trend alert), and four items reviewed by two moderators in a queue that
 * asks for two reviews, then a gold item (accuracy, kappa). The page must
 * draw the numbers the API gives; the test reads both and compares.
 */
(haveChromium('the dashboard test') ? describe.each<StoreKind>(['embedded', 'real']) : describe.skip.each<StoreKind>(['embedded', 'real']))('analysts’ dashboard in Chromium on %s stores', (stores) => {
  const screenshot = path.join(ROOT, 'test/artifacts', stores === 'embedded' ? 'dashboard.png' : `dashboard-${stores}.png`);
  let loupe: TestApp;
  let analyst: ApiClient;
  let browser: Browser;
  let burstAlertId = '';

  beforeAll(async () => {
    [loupe, browser] = await Promise.all([startTestApp(stores, { CONSENSUS_UNCERTAINTY: '0', INDEX_POLL_MS: '200' }), launchChromium()]);
    const service = await loupe.client('service');
    analyst = await loupe.client('analyst');
    const engineer = await loupe.client('ml_engineer');
    const alice = await loupe.client('moderator', 'alice');
    const bob = await loupe.client('moderator', 'bob');
    const thresholds = async (review: number, remove: number) => expect((await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review, remove } })).status).toBe(200);
    const reportAndRemove = async (id: string) => {
      expect((await service.post(`/v1/contents/${id}/reports`, { json: { policyId: 'adult_nudity', reason: 'seen by a user' } })).status).toBe(201);
      const task = await claim(bob);
      expect(task.content.id).toBe(id);
      await decide(bob, task.id, yes);
    };

    // A miss by a moderator: sent to review, allowed by alice, removed after a report.
    await thresholds(0, 1);
    const humanError = await uploadSettled(service, 7101, { region: 'DE' });
    expect(humanError.status).toBe('in_review');
    await decide(alice, (await claim(alice)).id, no);
    await reportAndRemove(humanError.id);

    // A blind spot: the model lets it through under a review threshold of 0.85; a report and a removal bank it.
    await thresholds(0.85, 0.95);
    const blindImage = await makeImage({ seed: 7102 });
    const blind = await uploadSettled(service, 7102, { region: 'FR' });
    expect(blind.status).toBe('allowed');
    await reportAndRemove(blind.id);

    // Its re-uploads are removed at ingest by the bank: a steady hour of them, then a burst tagged #burst.
    const upload = async (hashtags: string) => {
      const response = await service.post('/v1/contents', { form: contentForm(blindImage, { hashtags, region: 'FR' }) });
      expect(response.status).toBe(202);
      const id = response.body.id as string;
      const settled = await waitFor(async () => (await service.get(`/v1/contents/${id}`)).body, (c) => !['received', 'processing'].includes(c.status), `content ${id}`);
      expect(settled.decision).toMatchObject({ outcome: 'removed', source: 'hash' });
      return id;
    };
    const first = await upload('steady');
    const steady = [first, ...(await Promise.all(Array.from({ length: STEADY_ITEMS - 1 }, () => upload('steady'))))];
    const burst = await Promise.all(Array.from({ length: BURST_ITEMS }, () => upload('burst')));
    const burstHour = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
    const db = loupe.get(DatabaseConnection);
    for (const [i, id] of steady.entries()) await moveContentTo(db, id, new Date(burstHour - 5 * HOUR + i * 60_000));
    for (const [i, id] of burst.entries()) await moveContentTo(db, id, new Date(burstHour + i * 60_000));
    const scan = await analyst.post('/v1/analysis/trends/scan', { json: {} });
    expect(scan.status).toBe(200);
    const alert = scan.body.alerts.find((a: { subject: string }) => a.subject === '#burst');
    expect(alert).toMatchObject({ kind: 'term_burst', status: 'open', count: BURST_ITEMS });
    burstAlertId = alert.id;

    // Two moderators on the same four items (two reviews each), then a gold item each: alice right, bob not.
    await thresholds(0, 1);
    await isolatedQueue(loupe, 'dashboard', 'NO', { ruleConsensus: 2 });
    const items = (await Promise.all([8201, 8202, 8203, 8204].map((seed) => uploadSettled(service, seed, { region: 'NO' })))).map((u) => u.id);
    const answers = { alice: (i: number) => (i < 2 ? yes : no), bob: (i: number) => (i < 3 ? yes : no) };
    for (const [name, moderator] of [['alice', alice], ['bob', bob]] as const) {
      for (let task = await claim(moderator, 'dashboard'); task; task = await claim(moderator, 'dashboard')) await decide(moderator, task.id, answers[name](items.indexOf(task.content.id)));
    }
    expect((await loupe.admin.post('/v1/review/gold', { json: { contentId: items[0], labels: yes } })).status).toBe(201);
    expect((await loupe.admin.put('/v1/review/queues/dashboard', { json: { name: 'dashboard', goldRate: 1 } })).status).toBe(200);
    await decide(alice, (await claim(alice, 'dashboard')).id, yes);
    await decide(bob, (await claim(bob, 'dashboard')).id, no);
  });
  afterAll(async () => {
    await browser?.close();
    await loupe?.close();
  });

  /** A fresh page that records script errors and refused resources (a CSP violation shows as one). */
  async function openDashboard(): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) errors.push(message.text());
    });
    await page.goto(`${loupe.baseUrl}/dashboard`);
    return { page, errors };
  }

  async function signIn(page: Page, key: string, state: string) {
    await page.fill('#api-key', key);
    await page.click('#sign-in button[type=submit]');
    await page.waitForSelector(`body[data-state="${state}"]`, { timeout: 60_000 });
  }

  /** The chart's drawn points: data-x or data-label (plus data-series) → data-value. */
  const points = (page: Page, chart: string, selector = '[data-value]') =>
    page.$$eval(`svg[data-chart="${chart}"] ${selector}`, (nodes) =>
      nodes.map((n) => ({ key: [n.getAttribute('data-x') ?? n.getAttribute('data-label'), n.getAttribute('data-series')].filter(Boolean).join(' '), value: Number(n.getAttribute('data-value')), lower: n.getAttribute('data-lower'), upper: n.getAttribute('data-upper') })),
    );
  const byKey = (list: { key: string; value: number }[]) => Object.fromEntries(list.map((p) => [p.key, p.value]));

  it('serves the page and only its own files, without a key, under a strict Content-Security-Policy', async () => {
    const page = await fetch(`${loupe.baseUrl}/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("img-src 'self' blob:");
    expect(csp).not.toContain('unsafe-inline');
    expect(await page.text()).toContain('/dashboard/dashboard.js');
    for (const [file, type] of [['dashboard.js', /^text\/javascript/], ['charts.js', /^text\/javascript/], ['dashboard.css', /^text\/css/]] as const) {
      const asset = await fetch(`${loupe.baseUrl}/dashboard/${file}`);
      expect([file, asset.status]).toEqual([file, 200]);
      expect(asset.headers.get('content-type')).toMatch(type);
    }
    for (const name of ['secret.txt', '..%2Fpackage.json', '%2E%2E%2F%2E%2E%2Fpackage.json']) {
      const refused = await fetch(`${loupe.baseUrl}/dashboard/${name}`);
      expect([name, refused.status]).toEqual([name, 404]);
      expect(((await refused.json()) as { code: string }).code).toBe('dashboard.asset_not_found');
    }
    const docs = await loupe.admin.get('/docs/openapi.json', { key: null });
    expect(Object.keys((docs.body as { paths: object }).paths).filter((p) => p.startsWith('/dashboard'))).toEqual([]);
  });

  it('refuses an unknown key and a key of the wrong role, saying which', async () => {
    const { page, errors } = await openDashboard();
    await signIn(page, 'lp_not-a-real-key', 'sign-in-failed');
    expect(await page.textContent('#sign-in-error')).toContain('not known');
    expect(await page.isVisible('#dashboard')).toBe(false);
    const moderator = await loupe.client('moderator');
    await page.evaluate("document.body.dataset.state = 'signed-out'");
    await signIn(page, moderator.key!, 'sign-in-failed');
    expect(await page.textContent('#sign-in-error')).toContain('analyst or an admin key');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    // The refusals are the API's 401 and 403, which the browser logs; nothing else may fail.
    expect(errors.filter((e) => !/status of 40[13]/.test(e))).toEqual([]);
    await page.close();
  });

  it('signs in and draws every section from the numbers the API returns, and keeps a screenshot', async () => {
    const { page, errors } = await openDashboard();
    await signIn(page, analyst.key!, 'ready');
    const period = await page.evaluate('document.body.dataset.period');
    expect(period).toBe(currentQuarter());
    const [misses, trends, accuracy, transparency] = await Promise.all(
      [`/v1/analysis/misses?period=${period}`, '/v1/analysis/trends?status=open', `/v1/analysis/accuracy?period=${period}`, `/v1/analysis/transparency?period=${period}`].map(async (url) => {
        const response = await analyst.get(url);
        expect([url, response.status]).toEqual([url, 200]);
        return response.body;
      }),
    );

    // Missed violations: the rate per day, and the causes per day stacked.
    expect(misses.totals.missed).toBe(2);
    expect(byKey(await points(page, 'miss-rate'))).toEqual(
      Object.fromEntries(misses.series.filter((d: any) => d.missRate !== null).map((d: any) => [`${d.date} missRate`, d.missRate])),
    );
    const causes: Record<string, number> = {};
    for (const day of misses.series) for (const [cause, n] of Object.entries(day.causes as Record<string, number>)) if (n > 0) causes[`${day.date} ${cause}`] = n;
    expect(byKey(await points(page, 'miss-causes'))).toEqual(causes);
    expect(Object.keys(causes).map((k) => k.split(' ')[1]).sort()).toEqual(['blind_spot', 'human_error']);
    expect(await page.textContent('#misses .what-if')).toContain('adult_nudity');

    // Trend alerts: every open alert listed; the burst's hourly counts in its sparkline, its examples shown blurred.
    expect(await page.$$eval('#trends li[data-alert-id]', (nodes) => nodes.map((n) => n.getAttribute('data-alert-id')))).toEqual(trends.map((a: any) => a.id));
    const burst = trends.find((a: any) => a.id === burstAlertId);
    const sparkline = await page.$$eval(`li[data-alert-id="${burstAlertId}"] svg[data-chart="trend-hours"] rect`, (nodes) => nodes.map((n) => Number(n.getAttribute('data-value'))));
    expect(sparkline).toEqual(burst.evidence.hours.map((h: any) => h.count));
    expect(Math.max(...sparkline)).toBe(BURST_ITEMS);
    expect(await page.textContent(`li[data-alert-id="${burstAlertId}"]`)).toContain('#burst');
    const thumbs = await page.$$eval(`li[data-alert-id="${burstAlertId}"] .thumbs img`, (nodes) => nodes.map((n) => ({ src: (n as any).src as string, width: (n as any).naturalWidth as number })));
    expect(thumbs.length).toBe(Math.min(4, burst.evidence.examples.length));
    for (const thumb of thumbs) {
      expect(thumb.src).toMatch(/^blob:/);
      expect(thumb.width).toBeGreaterThan(0);
    }

    // Moderator accuracy: gold accuracy with its Wilson interval, kappa per pair and per queue.
    const names = Object.fromEntries(accuracy.moderators.map((m: any) => [m.moderatorId, m.name]));
    const gold = await points(page, 'gold-accuracy');
    const goldRows = accuracy.moderators.filter((m: any) => m.gold);
    expect(goldRows.map((m: any) => m.name).sort()).toEqual(['alice', 'bob']);
    expect(gold.map((p) => [p.key, p.value, Number(p.lower), Number(p.upper)])).toEqual(goldRows.map((m: any) => [`${m.name} · ${m.policyId}`, m.gold.accuracy, m.gold.interval.lower, m.gold.interval.upper]));
    const pairs = accuracy.pairs.filter((p: any) => p.kappa !== null);
    expect(pairs.length).toBeGreaterThan(0);
    expect(byKey(await points(page, 'pair-kappa'))).toEqual(Object.fromEntries(pairs.map((p: any) => [`${names[p.moderatorA]} × ${names[p.moderatorB]} · ${p.policyId}`, p.kappa])));
    const queues = accuracy.queues.filter((q: any) => q.kappa !== null);
    expect(queues.map((q: any) => q.queueId)).toContain('dashboard');
    expect(byKey(await points(page, 'queue-kappa'))).toEqual(Object.fromEntries(queues.map((q: any) => [`${q.queueId} · ${q.policyId}`, q.kappa])));
    expect(await page.$$eval('svg[data-chart="weakest-cells"] rect[data-value]', (nodes) => nodes.length)).toBe(Math.min(10, accuracy.weakest.length));

    // Transparency: the headline shares, and the removals per policy.
    const total = transparency.rows.find((r: any) => r.policyId === '*' && r.country === '*');
    for (const share of ['removedBeforeAnyViewShare', 'removedWithin24hShare', 'proactiveShare', 'automatedShare']) {
      expect([share, Number(await page.getAttribute(`#transparency [data-figure="${share}"]`, 'data-value'))]).toEqual([share, total[share]]);
    }
    expect(total.removed).toBeGreaterThanOrEqual(STEADY_ITEMS + BURST_ITEMS + 2);
    expect(byKey(await points(page, 'removals-by-policy'))).toEqual(
      Object.fromEntries(transparency.rows.filter((r: any) => r.policyId !== '*' && r.country === '*').map((r: any) => [r.policyId, r.removed])),
    );

    // Each chart names itself for screen readers.
    const unlabelled = await page.$$eval('svg[data-chart]', (nodes) => nodes.filter((n) => n.getAttribute('role') !== 'img' || !n.getAttribute('aria-label')).length);
    expect(unlabelled).toBe(0);

    await mkdir(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    expect((await stat(screenshot)).size).toBeGreaterThan(30_000);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('rounds axes, spaces labels and formats figures in the chart helpers', async () => {
    const { page, errors } = await openDashboard();
    // The page's own module, imported in the page: the helpers are plain browser JavaScript, with no build step to test them apart.
    const helpers = await page.evaluate(`import('/dashboard/charts.js').then((c) => ({
      niceMax: [0, 0.3, 1, 7, 10, 11, 23, 250, 999].map(c.niceMax),
      ticks: c.ticks(-1, 1),
      labelStep: [1, 8, 9, 63].map((n) => c.labelStep(n)),
      percent: [0, 1, 0.0869565, null].map(c.formatPercent),
      number: [3, 0.5, -0.1538, undefined].map(c.formatNumber),
    }))`);
    expect(helpers).toEqual({
      niceMax: [1, 0.5, 1, 10, 10, 20, 50, 500, 1000],
      ticks: [-1, -0.5, 0, 0.5, 1],
      labelStep: [1, 1, 2, 8],
      percent: ['0%', '100%', '8.7%', 'n/a'],
      number: ['3', '0.50', '-0.15', 'n/a'],
    });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows an empty period as such, remembers the key in the tab, acknowledges an alert, and signs out', async () => {
    const { page, errors } = await openDashboard();
    await signIn(page, analyst.key!, 'ready');

    // Another period, with no data: each section says so instead of breaking.
    await page.fill('#period', '2020-Q1');
    await page.click('#period-form button[type=submit]');
    await page.waitForSelector('body[data-state="ready"][data-period="2020-Q1"]');
    for (const section of ['misses', 'accuracy', 'transparency']) expect(await page.isVisible(`#${section} [data-empty="${section}"]`)).toBe(true);
    expect(await page.$$('svg[data-chart="miss-rate"]')).toHaveLength(0);

    // A reload keeps the session (sessionStorage): no second sign-in.
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]');
    expect(await page.isVisible('#dashboard')).toBe(true);

    // Acknowledging from the page: the alert leaves the open list.
    await page.click(`li[data-alert-id="${burstAlertId}"] button.ack`);
    await page.waitForSelector(`li[data-alert-id="${burstAlertId}"]`, { state: 'detached' });
    await page.waitForSelector('body[data-state="ready"]');
    expect((await analyst.get(`/v1/analysis/trends/${burstAlertId}`)).body.status).toBe('acknowledged');

    await page.click('#sign-out');
    expect(await page.isVisible('#sign-in-section')).toBe(true);
    expect(await page.isVisible('#dashboard')).toBe(false);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
