/**
 * The Electron binary's path when it is installed, found WITHOUT require('electron'): since
 * Electron 45 that call starts a download of the binary when it is missing, which fails offline.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function installedElectronBinary(root: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const packageDir = join(root, 'node_modules/electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const binary = env.ELECTRON_OVERRIDE_DIST_PATH ? join(env.ELECTRON_OVERRIDE_DIST_PATH, relative) : join(packageDir, 'dist', relative);
  return existsSync(binary) ? binary : undefined;
}
