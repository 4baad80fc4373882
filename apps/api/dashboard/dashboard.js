// The analysts' dashboard: signs in with an API key, reads the analysis
// endpoints for a period, and draws each section. Plain modules, no build
// step: the API serves these files as they are.
import { renderAccuracy, renderMisses, renderTransparency, renderTrends } from './dashboard-sections.js';

const KEY_STORAGE = 'loupe.dashboard.apiKey';
const PERIOD_PATTERN = /^\d{4}(-Q[1-4]|-W\d{2}|-\d{2}(-\d{2})?)$/;

const $ = (id) => document.getElementById(id);

/** A failed API call: the status and the error code the API gives every error. */
class ApiFailure extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The quarter now, in UTC: the period the page opens on. */
function currentQuarter(now = new Date()) {
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
}

function createApi(key) {
  const request = async (method, path, body) => {
    const response = await fetch(path, {
      method,
      headers: { 'x-api-key': key, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) {
      const error = await response.json().catch(() => ({}));
      throw new ApiFailure(response.status, error.code ?? 'unknown', error.message ?? response.statusText);
    }
    return response;
  };
  return {
    get: async (path) => (await request('GET', path)).json(),
    post: async (path, body) => (await request('POST', path, body ?? {})).json(),
    /** Previews need the key too, so an <img src> cannot load them: fetch the bytes and hand back an object URL. */
    blobUrl: async (path) => URL.createObjectURL(await (await request('GET', path)).blob()),
  };
}

/** What to tell an analyst whose key did not work. */
function keyProblem(failure) {
  if (failure.status === 401) return 'That API key is not known, or it was revoked. Check it and sign in again.';
  if (failure.status === 403) return 'This key cannot read the analysis: the dashboard needs an analyst or an admin key.';
  return `The server could not check the key (${failure.status} ${failure.code}): ${failure.message}`;
}

const state = { api: null, period: currentQuarter(), objectUrls: [] };

function setStatus(message) {
  $('status').textContent = message;
}

function showSignedIn(signedIn) {
  $('sign-in-section').hidden = signedIn;
  $('dashboard').hidden = !signedIn;
  $('period-form').hidden = !signedIn;
  $('sign-out').hidden = !signedIn;
  document.body.dataset.state = signedIn ? 'loading' : 'signed-out';
}

function showSignInError(message) {
  const error = $('sign-in-error');
  error.textContent = message;
  error.hidden = !message;
}

/** Checks the key with a cheap call the dashboard needs anyway; only a key that works is kept. */
async function signIn(key) {
  const api = createApi(key);
  try {
    await api.get(`/v1/analysis/transparency?period=${encodeURIComponent(currentQuarter())}`);
  } catch (error) {
    sessionStorage.removeItem(KEY_STORAGE);
    showSignedIn(false);
    document.body.dataset.state = 'sign-in-failed';
    showSignInError(error instanceof ApiFailure ? keyProblem(error) : `The server could not be reached: ${error.message}`);
    return;
  }
  sessionStorage.setItem(KEY_STORAGE, key);
  state.api = api;
  showSignInError('');
  showSignedIn(true);
  await load();
}

function signOut() {
  sessionStorage.removeItem(KEY_STORAGE);
  state.api = null;
  releaseObjectUrls();
  for (const id of ['misses', 'trends', 'accuracy', 'transparency']) $(id).querySelector('.body').replaceChildren();
  $('api-key').value = '';
  showSignedIn(false);
  setStatus('Signed out.');
}

function releaseObjectUrls() {
  for (const url of state.objectUrls) URL.revokeObjectURL(url);
  state.objectUrls = [];
}

function sectionError(body, error) {
  const p = document.createElement('p');
  p.className = 'error';
  p.setAttribute('role', 'alert');
  p.textContent = error instanceof ApiFailure ? `Could not load this section (${error.status} ${error.code}): ${error.message}` : `Could not draw this section: ${error.message}`;
  body.replaceChildren(p);
}

/** Loads every section for the period; one failing section leaves the others drawn. */
async function load() {
  const { api, period } = state;
  if (!api) return;
  document.body.dataset.state = 'loading';
  document.body.dataset.period = period;
  $('period').value = period;
  setStatus(`Loading ${period}…`);
  releaseObjectUrls();
  const q = encodeURIComponent(period);
  const sections = [
    ['misses', () => api.get(`/v1/analysis/misses?period=${q}`), renderMisses],
    ['trends', () => api.get('/v1/analysis/trends?status=open'), renderTrends],
    ['accuracy', () => api.get(`/v1/analysis/accuracy?period=${q}`), renderAccuracy],
    ['transparency', () => api.get(`/v1/analysis/transparency?period=${q}`), renderTransparency],
  ];
  const context = {
    period,
    preview: async (path) => {
      const url = await api.blobUrl(path);
      state.objectUrls.push(url);
      return url;
    },
    acknowledge: async (id, note) => {
      await api.post(`/v1/analysis/trends/${encodeURIComponent(id)}/acknowledge`, note ? { note } : {});
      await load();
    },
  };
  const results = await Promise.allSettled(
    sections.map(async ([id, fetchData, render]) => {
      const body = $(id).querySelector('.body');
      try {
        await render(body, await fetchData(), context);
      } catch (error) {
        sectionError(body, error);
        throw error;
      }
    }),
  );
  const failed = results.filter((r) => r.status === 'rejected');
  const expired = failed.find((r) => r.reason instanceof ApiFailure && r.reason.status === 401);
  if (expired) {
    // The key was revoked while the page was open: back to the sign-in form, saying why.
    signOut();
    showSignInError(keyProblem(expired.reason));
    document.body.dataset.state = 'sign-in-failed';
    return;
  }
  setStatus(failed.length ? `${period}: ${failed.length} section(s) could not be loaded.` : `Showing ${period}.`);
  document.body.dataset.state = failed.length ? 'error' : 'ready';
}

function start() {
  $('period').value = state.period;
  $('sign-in').addEventListener('submit', (event) => {
    event.preventDefault();
    const key = $('api-key').value.trim();
    if (key) void signIn(key);
  });
  $('sign-out').addEventListener('click', signOut);
  $('period-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const period = $('period').value.trim();
    if (!PERIOD_PATTERN.test(period)) {
      setStatus(`${period || 'An empty period'} is not a period: use 2026-12-01, 2026-W49, 2026-12 or 2026-Q4.`);
      return;
    }
    state.period = period;
    void load();
  });
  const saved = sessionStorage.getItem(KEY_STORAGE);
  if (saved) void signIn(saved);
}

start();
