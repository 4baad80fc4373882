import { existsSync } from 'node:fs';
import path from 'node:path';
import { ApiError } from '@loupe/common';
import { DASHBOARD_ASSETS, DASHBOARD_CSP, DASHBOARD_DIR, readDashboardAsset } from './dashboard-assets';

describe('dashboard assets', () => {
  it('lists only files that exist beside the sources, each with its content type', async () => {
    for (const [name, type] of Object.entries(DASHBOARD_ASSETS)) {
      expect([name, existsSync(path.join(DASHBOARD_DIR, name))]).toEqual([name, true]);
      const asset = await readDashboardAsset(name);
      expect(asset.contentType).toBe(type);
      expect(asset.body.length).toBeGreaterThan(0);
    }
  });

  it('refuses any other name, a path most of all, with a coded 404', async () => {
    for (const name of ['../package.json', '..%2Fpackage.json', 'toString', '__proto__', 'constructor', '', 'index.HTML', 'dashboard.js/']) {
      const refused = await readDashboardAsset(name).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ApiError);
      expect([name, (refused as ApiError).getStatus(), (refused as ApiError).code]).toEqual([name, 404, 'dashboard.asset_not_found']);
    }
  });

  it('allows the page nothing from elsewhere, and no inline script or style', () => {
    const directives = Object.fromEntries(DASHBOARD_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['img-src']).toEqual(["'self'", 'blob:']);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(DASHBOARD_CSP).not.toMatch(/unsafe-|https?:|\*/);
  });
});
