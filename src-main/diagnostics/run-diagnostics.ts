/**
 * The whole diagnostics run behind `obnova diagnose` and the Diagnostics screen: OS and app, PC/SC
 * readers and card ATRs, PKCS#11 modules, tokens, certificates, the service and the clock.
 */
import { release, version as osVersion } from 'node:os';
import type { Locale } from '../../src-shared/contract/schemas/app.js';
import type { CertificateReport, DiagnosticsReport, ReadersReport, TokenReport } from '../../src-shared/contract/schemas/diagnostics.js';
import type { CertificateEntry } from '../../src-shared/contract/schemas/certificate.js';
import type { Certificate } from '../../src-shared/pki/certificate.js';
import { loadTrustAnchors, trustDirs } from '../renewal/trust-anchors.js';
import { findNativeConfigDir, loadCards, loadPkcs11Modules, type CardEntry, type Pkcs11ModuleEntry } from '../token/native-config.js';
import type { TraceSink } from '../token/call-trace.js';
import type { TokenService } from '../token/token-service.js';
import { describeReader, type InstallContext } from './card-lookup.js';
import { checkCertificateTrust, parseValues, type ParsedValue } from './certificate-trust.js';
import { moduleCandidates, probeModule, samePathKey } from './module-probe.js';
import { scanPcscReaders, type RunTool } from './pcsc-readers.js';
import { probeService } from './service-probe.js';
import { makeChecks, worstStatus } from './verdicts.js';

export interface DiagnosticsOptions {
  locale: Locale;
  appVersion: string;
  mode: DiagnosticsReport['app']['mode'];
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  arch?: string;
  /** --module PATH, as the app was started with. */
  moduleArgument?: string | undefined;
  extraModulePaths?: readonly string[];
  serviceUrl: string | null;
  skipService?: boolean;
  serviceTimeoutMs?: number;
  reminderLeadDays?: number;
  /** The app's own token service and its library path: reused for that path (see probeModule). */
  shared?: { path: string; service: TokenService } | undefined;
  /** The PKCS#11 call trace (--trace), for the libraries loaded here. */
  trace?: TraceSink | undefined;
  runTool?: RunTool;
  now?: () => Date;
  /** The app data folder: its trust/ folder holds anchors besides native-config/trust. */
  appDataDir?: string | undefined;
  /** Per OCSP / CRL request (short: diagnostics waits for them). */
  revocationTimeoutMs?: number;
}

/** What a run found besides the report: the certificate bytes (for the support bundle's PEM files). */
export interface DiagnosticsRun {
  report: DiagnosticsReport;
  values: ParsedValue[];
}

const dayMs = 86_400_000;

function certificateReport(modulePath: string, entry: CertificateEntry, now: Date): CertificateReport {
  if (!entry.readable) {
    return {
      modulePath,
      slotId: entry.slotId,
      tokenLabel: entry.tokenLabel,
      objectLabel: entry.objectLabel,
      readable: false,
      subjectCommonName: null,
      issuerCommonName: null,
      serialNumber: null,
      notBefore: null,
      notAfter: null,
      fingerprintSha256: null,
      hasPrivateKey: false,
      qualified: false,
      daysLeft: null,
    };
  }
  return {
    modulePath,
    slotId: entry.slotId,
    tokenLabel: entry.tokenLabel,
    objectLabel: entry.objectLabel,
    objectId: entry.objectId,
    readable: true,
    subjectCommonName: entry.subjectCommonName,
    issuerCommonName: entry.issuerCommonName,
    serialNumber: entry.serialNumber,
    notBefore: entry.notBefore,
    notAfter: entry.notAfter,
    fingerprintSha256: entry.fingerprintSha256,
    hasPrivateKey: entry.hasPrivateKey,
    qualified: entry.qualified,
    daysLeft: Math.floor((Date.parse(entry.notAfter) - now.getTime()) / dayMs),
  };
}

/** The certificate values of the latest runs, by report time, so a bundle of a printed report holds the same certificates. */
const recentValues = new Map<string, ParsedValue[]>();
const keptRuns = 4;

/** The certificate values read by the run that produced `report` (empty when that run is no longer kept). */
export function certificateValuesOf(report: Pick<DiagnosticsReport, 'generatedAt'>): ParsedValue[] {
  return recentValues.get(report.generatedAt) ?? [];
}

/** Runs every check; never throws for what it finds (a broken native-config is itself a finding). */
export async function runDiagnostics(options: DiagnosticsOptions): Promise<DiagnosticsReport> {
  return (await runDiagnosticsWithValues(options)).report;
}

/** {@link runDiagnostics}, also handing back the certificate values it read. */
export async function runDiagnosticsWithValues(options: DiagnosticsOptions): Promise<DiagnosticsRun> {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const now = options.now?.() ?? new Date();

  let modules: Pkcs11ModuleEntry[] = [];
  let cards: CardEntry[] = [];
  let configProblem: string | null = null;
  let nativeConfigDir: string | null = null;
  try {
    const dir = findNativeConfigDir({ env });
    nativeConfigDir = dir;
    modules = loadPkcs11Modules(dir).modules;
    cards = loadCards(dir).cards;
  } catch (error) {
    configProblem = (error as Error).message;
  }
  const context: InstallContext = { modules, env, platform, arch };

  const [scan, service] = await Promise.all([
    scanPcscReaders({ env, platform, ...(options.runTool ? { run: options.runTool } : {}) }),
    options.skipService ? probeService(null) : probeService(options.serviceUrl, { timeoutMs: options.serviceTimeoutMs ?? 5000 }),
  ]);
  const readers: ReadersReport = { tool: scan.tool, serviceAvailable: scan.serviceAvailable, readers: scan.readers.map((r) => describeReader(r, cards, context)) };

  const moduleReports = [];
  const tokens: TokenReport[] = [];
  const certificates: CertificateReport[] = [];
  const values: ParsedValue[] = [];
  // One module at a time: several middlewares in one process must not initialize concurrently.
  for (const candidate of moduleCandidates({ argument: options.moduleArgument, extraPaths: options.extraModulePaths ?? [], context })) {
    const shared = options.shared && samePathKey(options.shared.path) === samePathKey(candidate.path) ? options.shared.service : undefined;
    const probed = await probeModule(candidate, shared, options.trace);
    moduleReports.push(probed.report);
    for (const token of probed.tokens) tokens.push({ modulePath: candidate.path, ...token });
    for (const entry of probed.certificates) certificates.push(certificateReport(candidate.path, entry, now));
    values.push(...(await parseValues(candidate.path, probed.values)));
  }
  let anchors: Certificate[] = [];
  if (options.appDataDir !== undefined || nativeConfigDir !== null) {
    anchors = (await loadTrustAnchors(options.appDataDir !== undefined ? trustDirs(nativeConfigDir, options.appDataDir) : [`${nativeConfigDir}/trust`])).anchors;
  }
  await checkCertificateTrust(certificates, values, { anchors, offline: options.skipService === true, timeoutMs: options.revocationTimeoutMs ?? 5000, now });

  const checks = makeChecks({
    locale: options.locale,
    app: { version: options.appVersion },
    os: { platform, release: release() },
    modules: moduleReports,
    readers,
    tokens,
    certificates,
    service: options.skipService ? { ...service, url: options.serviceUrl } : service,
    reminderLeadDays: options.reminderLeadDays ?? 60,
    serviceChecked: !options.skipService,
  });
  if (configProblem !== null) {
    const fix = checks.find((c) => c.verdict === 'MODULE_NONE_INSTALLED');
    if (fix) fix.details = { ...fix.details, configProblem };
  }
  const report: DiagnosticsReport = {
    generatedAt: now.toISOString(),
    locale: options.locale,
    app: { name: 'Obnova', version: options.appVersion, mode: options.mode },
    os: { platform, arch, release: release(), version: osVersion(), node: process.version },
    modules: moduleReports,
    readers,
    tokens,
    certificates,
    service: options.skipService ? { ...service, url: options.serviceUrl } : service,
    checks,
    overall: worstStatus(checks),
  };
  recentValues.set(report.generatedAt, values);
  while (recentValues.size > keptRuns) recentValues.delete(recentValues.keys().next().value!);
  return { report, values };
}

