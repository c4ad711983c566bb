/**
 * Every PKCS#11 module worth trying on this computer — the one chosen by --module/OBNOVA_PKCS11_MODULE,
 * the extra paths from Settings, and each known middleware that is installed — loaded one by one
 * through the token layer, with its tokens and certificates.
 */
import { realpathSync } from 'node:fs';
import { toAppError } from '../../src-shared/contract/errors.js';
import type { ModuleReport } from '../../src-shared/contract/schemas/diagnostics.js';
import type { CertificateEntry } from '../../src-shared/contract/schemas/certificate.js';
import type { TokenFacts, TokenInfo } from '../../src-shared/contract/schemas/token.js';
import type { CertificateValue } from '../token/certificate-values.js';
import type { TraceSink } from '../token/call-trace.js';
import type { ResolvedModule } from '../token/module-resolver.js';
import type { Pkcs11ModuleEntry } from '../token/native-config.js';
import { createTokenService, type TokenService } from '../token/token-service.js';
import { installedPaths, type InstallContext } from './card-lookup.js';

/** A library to try, and why. */
export interface ModuleCandidate {
  path: string;
  source: ModuleReport['source'];
  entry: Pkcs11ModuleEntry | null;
}

export interface ProbedModule {
  report: ModuleReport;
  tokens: Array<TokenInfo & { facts: TokenFacts | null }>;
  certificates: CertificateEntry[];
  /** The DER of each certificate object, for the chain and revocation checks and the support bundle. */
  values: CertificateValue[];
}

/** The file a path points to, so two paths (or a symlink) to one library count once. */
export function samePathKey(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Candidates in the order the app would use them; one per library file. */
export function moduleCandidates(options: { argument?: string | undefined; extraPaths: readonly string[]; context: InstallContext }): ModuleCandidate[] {
  const { context } = options;
  const out: ModuleCandidate[] = [];
  // OpenSC's pkcs11-spy (which a helpdesk may give as --module) forwards to PKCS11SPY: both are the same library underneath.
  const keyOf = (path: string): string =>
    /pkcs11-spy\.(so|dylib|dll)$/i.test(path) && context.env.PKCS11SPY ? samePathKey(context.env.PKCS11SPY) : samePathKey(path);
  const add = (candidate: ModuleCandidate): void => {
    // dlopen() gives one handle per file: loading it twice under two names would share C_Finalize.
    const key = keyOf(candidate.path);
    if (!out.some((c) => keyOf(c.path) === key)) out.push(candidate);
  };
  if (options.argument) add({ path: options.argument, source: 'argument', entry: null });
  else if (context.env.OBNOVA_PKCS11_MODULE) add({ path: context.env.OBNOVA_PKCS11_MODULE, source: 'environment', entry: null });
  for (const path of options.extraPaths) add({ path, source: 'settings', entry: null });
  const ordered = [...context.modules.filter((m) => !m.testOnly), ...context.modules.filter((m) => m.testOnly)];
  for (const entry of ordered) for (const path of installedPaths(entry, context)) add({ path, source: 'probe', entry });
  return out;
}

/**
 * Loads one module and reads its tokens and certificates. `shared` is the app's own service for the
 * same library, reused so that closing ours does not C_Finalize the library under the app. With
 * `trace`, the calls to a library loaded here are traced (the shared one is, if the app's is).
 */
export async function probeModule(candidate: ModuleCandidate, shared?: TokenService, trace?: TraceSink): Promise<ProbedModule> {
  const resolved: ResolvedModule = {
    path: candidate.path,
    source: candidate.source === 'settings' ? 'argument' : candidate.source,
    name: candidate.entry?.name ?? null,
    id: candidate.entry?.id ?? null,
    tokenRescan: candidate.entry?.tokenRescan ?? 'slot-list',
  };
  const service = shared ?? createTokenService({ module: resolved, trace });
  const report: ModuleReport = { path: candidate.path, source: candidate.source, name: resolved.name, exists: true, loaded: false, info: null, error: null };
  try {
    const inventory = await service.inventory();
    report.loaded = true;
    report.info = { ...inventory.module, source: candidate.source, name: inventory.module.name ?? resolved.name };
    return { report, tokens: inventory.tokens, certificates: inventory.certificates, values: inventory.values };
  } catch (error) {
    const appError = toAppError(error);
    report.error = appError;
    report.exists = appError.code !== 'TOKEN_MODULE_NOT_FOUND';
    return { report, tokens: [], certificates: [], values: [] };
  } finally {
    if (!shared) await service.close().catch(() => undefined);
  }
}
