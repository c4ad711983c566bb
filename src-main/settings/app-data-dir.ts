/** Where Obnova keeps settings, logs and journals: OBNOVA_APP_DATA, else the OS convention. */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The app data folder for this user (Electron passes app.getPath('userData') instead). */
export function resolveAppDataDir(options: { env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; home?: string } = {}): string {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const home = options.home ?? homedir();
  if (env.OBNOVA_APP_DATA) return env.OBNOVA_APP_DATA;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Obnova');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Obnova');
  // XDG Base Directory: $XDG_CONFIG_HOME, defaulting to ~/.config (Electron's userData does the same).
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Obnova');
}
