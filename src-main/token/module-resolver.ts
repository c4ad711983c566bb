/**
 * Which PKCS#11 library to load: the --module argument, then OBNOVA_PKCS11_MODULE, then the first
 * existing file among native-config/pkcs11-modules.json's candidates for this OS and architecture.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, win32 } from 'node:path';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { findNativeConfigDir, loadPkcs11Modules, type Pkcs11ModuleEntry, type PinUnblockStrategy, type PlatformKey, platformKeys } from './native-config.js';

/** A module path and how it was chosen; `name` is the middleware's product name when known. */
export interface ResolvedModule {
  path: string;
  source: 'argument' | 'environment' | 'probe';
  name: string | null;
  /** The pkcs11-modules.json entry id, when the path is one of its candidates. */
  id?: string | null;
  /** How this module makes new tokens visible (see pkcs11-modules.json `tokenRescan`). */
  tokenRescan?: 'slot-list' | 'reinitialize';
  /** How a blocked PIN is unblocked with this module (see pkcs11-modules.json `pinUnblockStrategy`). */
  pinUnblockStrategy?: PinUnblockStrategy;
  /** false: the module reports PIN counter flags only after a failed login (pkcs11-modules.json `pinFlagsBeforeFailedLogin`). */
  pinFlagsBeforeFailedLogin?: boolean;
}

export interface ResolveModuleOptions {
  argument?: string | undefined;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  arch?: string;
  fileExists?: (path: string) => boolean;
  nativeConfigDir?: string;
  /** Already loaded entries, e.g. in tests; otherwise read from native-config/. */
  modules?: readonly Pkcs11ModuleEntry[];
}

function defaultFileExists(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}

/** `${platform}-${arch}` when we ship for it, else null. */
export function platformKey(platform: string, arch: string): PlatformKey | null {
  const key = `${platform}-${arch}`;
  return (platformKeys as readonly string[]).includes(key) ? (key as PlatformKey) : null;
}

/** Replaces %VAR% with the environment variable (Windows-style, case-insensitive); null when one is unset. */
export function expandEnvVars(path: string, env: NodeJS.ProcessEnv): string | null {
  let missing = false;
  const expanded = path.replace(/%([^%]+)%/g, (_, name: string) => {
    const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
    const value = key === undefined ? undefined : env[key];
    if (value === undefined || value === '') missing = true;
    return value ?? '';
  });
  return missing ? null : expanded;
}

/** File name of a path written for any OS (Windows paths use backslashes). */
function fileName(path: string): string {
  return (path.includes('\\') ? win32.basename(path) : basename(path)).toLowerCase();
}

function describe(entry: Pkcs11ModuleEntry | undefined): Pick<ResolvedModule, 'name' | 'id' | 'tokenRescan' | 'pinUnblockStrategy' | 'pinFlagsBeforeFailedLogin'> {
  return {
    name: entry?.name ?? null,
    id: entry?.id ?? null,
    tokenRescan: entry?.tokenRescan ?? 'slot-list',
    ...(entry?.pinUnblockStrategy ? { pinUnblockStrategy: entry.pinUnblockStrategy } : {}),
    ...(entry?.pinFlagsBeforeFailedLogin === false ? { pinFlagsBeforeFailedLogin: false } : {}),
  };
}

/** The entry whose candidates (on any platform) end in the same file name, to name a user-given path. */
function entryForFile(path: string, modules: readonly Pkcs11ModuleEntry[]): Pkcs11ModuleEntry | undefined {
  const name = fileName(path);
  return modules.find((entry) => Object.values(entry.platforms).some((paths) => paths?.some((p) => fileName(p) === name)));
}

function loadEntries(options: ResolveModuleOptions): readonly Pkcs11ModuleEntry[] {
  if (options.modules) return options.modules;
  const dir = findNativeConfigDir({ ...(options.nativeConfigDir ? { nativeConfigDir: options.nativeConfigDir } : {}), ...(options.env ? { env: options.env } : {}) });
  return loadPkcs11Modules(dir).modules;
}

/** Chooses the PKCS#11 library (argument > OBNOVA_PKCS11_MODULE > probing native-config). */
export function resolveModule(options: ResolveModuleOptions = {}): ResolvedModule {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const fileExists = options.fileExists ?? defaultFileExists;

  const explicit: Array<[string | undefined, 'argument' | 'environment']> = [
    [options.argument, 'argument'],
    [env.OBNOVA_PKCS11_MODULE, 'environment'],
  ];
  for (const [path, source] of explicit) {
    if (path === undefined || path === '') continue;
    if (!fileExists(path)) {
      throw new ObnovaError('TOKEN_MODULE_NOT_FOUND', `the PKCS#11 module given by ${source === 'argument' ? '--module' : 'OBNOVA_PKCS11_MODULE'} does not exist`, {
        path,
        source,
      });
    }
    // Naming is best effort: a broken native-config must not block a module the user chose.
    let entry: Pkcs11ModuleEntry | undefined;
    try {
      entry = entryForFile(path, loadEntries({ ...options, env }));
    } catch {
      entry = undefined;
    }
    return { path, source, ...describe(entry) };
  }

  const key = platformKey(platform, arch);
  const modules = loadEntries({ ...options, env });
  // testOnly modules (SoftHSM) go last whatever their place in the file.
  const ordered = [...modules.filter((m) => !m.testOnly), ...modules.filter((m) => m.testOnly)];
  let tried = 0;
  for (const entry of ordered) {
    const candidates = key ? (entry.platforms[key] ?? []) : [];
    for (const candidate of candidates) {
      const path = expandEnvVars(candidate, env);
      if (path === null) continue;
      tried++;
      if (fileExists(path)) return { path, source: 'probe', ...describe(entry) };
    }
  }
  throw new ObnovaError('TOKEN_MODULE_NOT_CONFIGURED', 'no PKCS#11 module was given and none of the known middleware is installed', {
    candidatesTried: tried,
    platform: key ?? `${platform}-${arch}`,
  });
}
