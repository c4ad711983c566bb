/** Where the built pieces are, whether we run bundled (out/main/*.js) or from source (tsx, vitest). */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The built renderer (out/renderer), or undefined when it has not been built yet. */
export function findRendererDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env.OBNOVA_RENDERER_DIR, join(here, '../renderer'), join(here, '../../out/renderer'), join(process.cwd(), 'out/renderer')];
  for (const candidate of candidates) {
    if (candidate && existsSync(join(candidate, 'index.html'))) return resolve(candidate);
  }
  return undefined;
}
