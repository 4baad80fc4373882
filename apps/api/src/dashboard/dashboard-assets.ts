import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError, PROJECT_ROOT } from '@loupe/common';

/**
 * The analysts' dashboard is static files beside the sources (tsc copies no
 * non-TS files to dist), read from the project root at run time as the
 * migrations and the policy catalog are, so source and dist serve the same
 * files.
 */
export const DASHBOARD_DIR = path.join(PROJECT_ROOT, 'apps/api/dashboard');

/** Only these names are served: a request never becomes a path of its own choosing. */
export const DASHBOARD_ASSETS: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard-sections.js': 'text/javascript; charset=utf-8',
  'charts.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
};

/**
 * The page holds no data and runs only its own files: the data comes from
 * the API (connect-src 'self'), and trend examples are fetched with the key
 * and shown as blob: URLs. SVG charts use presentation attributes, never
 * inline styles, so style-src needs no 'unsafe-inline'.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface DashboardAsset {
  body: Buffer;
  contentType: string;
}

export async function readDashboardAsset(name: string): Promise<DashboardAsset> {
  const contentType = Object.hasOwn(DASHBOARD_ASSETS, name) ? DASHBOARD_ASSETS[name] : undefined;
  if (!contentType) throw ApiError.notFound('dashboard.asset_not_found', `No dashboard file named ${name}`, { file: name });
  return { body: await readFile(path.join(DASHBOARD_DIR, name)), contentType };
}
