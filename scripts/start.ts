/** `npm start`: the Electron app where its binary exists; otherwise say so and start web mode. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { installedElectronBinary } from './electron-binary.js';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);

if (!existsSync(join(root, 'out/main/web.js')) || !existsSync(join(root, 'out/renderer/index.html'))) {
  const built = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const binary = installedElectronBinary(root);
if (!binary) {
  console.log('The Electron binary is not installed on this machine (installs here skip its download),\nso Obnova starts in web mode: the same app, in your browser.\n');
}
const child = binary
  ? spawn(binary, [root, ...args], { stdio: 'inherit' })
  : spawn(process.execPath, [join(root, 'out/main/web.js'), ...args], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
