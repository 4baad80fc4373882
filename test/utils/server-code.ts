import { createRequire } from 'node:module';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { createApiApp } from '../../apps/api/src/api-app.factory';
import type { LoupeConfig } from '@loupe/config';

/** What a test server is made of: the API's factory and the configuration class it takes. */
export interface ServerCode {
  createApiApp: typeof createApiApp;
  LoupeConfig: typeof LoupeConfig;
}

/** A class as a provider token (Nest's Abstract: private constructors too): what `TestApp.get` takes. */
export type ProviderClass<T> = Function & { prototype: T };

interface NodeModuleLoader {
  _load(request: string, parent: null, isMain: boolean): unknown;
}

/**
 * The server's code for the e2e tests. When Jest's global setup found the
 * build fresh (LOUPE_THREADS_FROM_BUILD, test/utils/global-setup.js: newer
 * than every source), the build's JavaScript, loaded by Node's own loader:
 * outside Jest's vm sandbox, where every global lookup of the server's code
 * (Object, Math, Promise…) goes through an interceptor, and kept in Node's
 * module cache across the test files a Jest worker runs, so NestJS, Fastify,
 * Drizzle and the rest load once per worker instead of once per file.
 * Otherwise (no build, or a source edited since) the TypeScript sources
 * through Jest, as before: a test never runs stale code.
 */
export function serverCode(): ServerCode {
  const root = process.env.LOUPE_THREADS_FROM_BUILD;
  if (root) {
    // Jest hands test code its own `module` (createRequire included, which would load
    // through Jest again); its Module class keeps Node's static _load, which does not.
    const loader = createRequire(__filename)('node:module') as NodeModuleLoader;
    const load = (file: string): Record<string, unknown> => {
      try {
        return loader._load(path.join(root, 'dist', file), null, false) as Record<string, unknown>;
      } catch (error) {
        throw new Error(`The build in ${root}/dist cannot be loaded (${(error as Error).message}): run npm run build, or set LOUPE_THREADS_FROM_BUILD= to test the sources`);
      }
    };
    return {
      createApiApp: load('apps/api/src/api-app.factory.js').createApiApp as ServerCode['createApiApp'],
      LoupeConfig: load('libs/config/src/index.js').LoupeConfig as ServerCode['LoupeConfig'],
    };
  }
  // Required here, not imported: the build's path must not load the sources through Jest too.
  return {
    createApiApp: (require('../../apps/api/src/api-app.factory') as { createApiApp: ServerCode['createApiApp'] }).createApiApp,
    LoupeConfig: (require('@loupe/config') as { LoupeConfig: ServerCode['LoupeConfig'] }).LoupeConfig,
  };
}

interface ProviderMap {
  container: { getModules(): Map<string, { providers: Map<unknown, unknown> }> };
}

/**
 * The server's instance of a provider the test names by its class. A test's
 * classes come from the sources through Jest; a server loaded from the build
 * has the build's classes, equal in name only, so the provider is found by
 * the class's name among every module's providers (Nest's container). The
 * same lookup runs on the sources, so a test behaves alike either way.
 */
export function providerOf<T>(app: NestFastifyApplication, type: ProviderClass<T>): T {
  const tokens = new Set<unknown>();
  for (const module of (app as unknown as ProviderMap).container.getModules().values()) {
    for (const token of module.providers.keys()) if (typeof token === 'function' && token.name === type.name) tokens.add(token);
  }
  if (tokens.size !== 1) throw new Error(`The test server has ${tokens.size} providers named ${type.name}; TestApp.get needs exactly one`);
  return app.get([...tokens][0] as never, { strict: false }) as T;
}
