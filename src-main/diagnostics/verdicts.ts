/**
 * From what diagnostics found to one verdict per check, each with the fix in words. The rules live here;
 * the words live in src-shared/i18n (diagnostics.fix.<VERDICT>) in all four languages.
 */
import type { Locale } from '../../src-shared/contract/schemas/app.js';
import type {
  CertificateReport,
  CheckStatus,
  DiagnosticCheck,
  ModuleReport,
  ReadersReport,
  ServiceReport,
  TokenReport,
  VerdictCode,
} from '../../src-shared/contract/schemas/diagnostics.js';
import { formatDate, sharedI18n } from '../../src-shared/i18n/index.js';

type Details = DiagnosticCheck['details'];

/** How far the clock may be off before signatures and OCSP answers start to look wrong (5 minutes). */
export const clockToleranceSeconds = 300;

export interface VerdictFacts {
  locale: Locale;
  app: { version: string };
  os: { platform: string; release: string };
  modules: ModuleReport[];
  readers: ReadersReport;
  tokens: TokenReport[];
  certificates: CertificateReport[];
  service: ServiceReport;
  reminderLeadDays: number;
  serviceChecked: boolean;
}

const severity: Record<CheckStatus, number> = { ok: 0, info: 1, warning: 2, error: 3 };

/** The worst status among the checks. */
export function worstStatus(checks: readonly DiagnosticCheck[]): CheckStatus {
  return checks.reduce<CheckStatus>((worst, c) => (severity[c.status] > severity[worst] ? c.status : worst), 'ok');
}

/** "2 h", "2 h 15 min", "7 min", "40 s": the size of a clock difference, the same in every language we speak. */
export function formatDuration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** How to start the PC/SC service on each OS (a command or the service's name; not translated). */
export function startPcscCommand(platform: string): string {
  if (platform === 'win32') return 'services.msc → Smart Card (SCardSvr) → Start';
  if (platform === 'darwin') return 'sudo launchctl kickstart -k system/com.apple.ctkpcscd';
  return 'sudo systemctl start pcscd.socket pcscd';
}

type Add = (area: DiagnosticCheck['area'], status: CheckStatus, verdict: VerdictCode, subject: string | null, details?: Details) => void;

/** The chain and revocation verdicts of one certificate, when they were checked. */
function addTrustChecks(cert: CertificateReport, subject: string, base: Details, add: Add): void {
  const name = base.name ?? null;
  const chain = cert.chain;
  if (chain) {
    const anchor = chain.path.at(-1) ?? null;
    if (chain.valid) add('certificates', 'ok', 'CHAIN_OK', subject, { name, anchor, anchorSource: chain.anchorSource, length: chain.path.length });
    else if (chain.code === 'CERT_UNTRUSTED_ISSUER') add('certificates', 'warning', 'CHAIN_UNTRUSTED', subject, { name, issuer: cert.issuerCommonName, anchorSource: chain.anchorSource, code: chain.code });
    else add('certificates', 'error', 'CHAIN_INVALID', subject, { name, code: chain.code, reason: chain.message, anchorSource: chain.anchorSource });
  }
  const revocation = cert.revocation;
  if (revocation) {
    if (revocation.status === 'good') add('certificates', 'ok', 'REVOCATION_GOOD', subject, { name, source: revocation.source?.toUpperCase() ?? null, url: revocation.url });
    else if (revocation.status === 'revoked') add('certificates', 'error', 'REVOCATION_REVOKED', subject, { name, revokedAt: revocation.revokedAt, reason: revocation.reason, source: revocation.source?.toUpperCase() ?? null });
    else add('certificates', 'warning', 'REVOCATION_UNKNOWN', subject, { name, reason: revocation.attempts.join(', ') || 'unknown', source: revocation.source?.toUpperCase() ?? null });
  }
}

/** Every check, in the order a helpdesk reads them: computer, readers, software, cards, certificates, network. */
export function makeChecks(facts: VerdictFacts): DiagnosticCheck[] {
  const t = sharedI18n().getFixedT(facts.locale);
  const checks: DiagnosticCheck[] = [];
  const add = (area: DiagnosticCheck['area'], status: CheckStatus, verdict: VerdictCode, subject: string | null, details: Details = {}): void => {
    // Dates stay ISO 8601 in details (for machines) and read as dates in the fix (for people).
    const words: Record<string, unknown> = { ...details };
    for (const key of ['notAfter', 'notBefore', 'revokedAt']) if (typeof details[key] === 'string') words[key] = formatDate(details[key], facts.locale);
    // Day counts go through the language's plural rules (1 dan, 2 dneva, 5 dni), never "1 days".
    if (typeof details.days === 'number') words.count = details.days;
    checks.push({ area, status, verdict, subject, fix: t(`diagnostics.fix.${verdict}`, { ...words, interpolation: { escapeValue: false } }), details });
  };
  const softwareForCards = facts.readers.readers.flatMap((r) => r.cards.filter((c) => !c.middlewareInstalled).map((c) => c.middlewareName ?? c.middleware));
  const yourSoftware = softwareForCards.length > 0 ? [...new Set(softwareForCards)].join(', ') : t('diagnostics.yourCardSoftware');

  add('environment', 'info', 'APP_INFO', null, { version: facts.app.version, platform: facts.os.platform, release: facts.os.release });

  // Readers first: "which software does my card need" is the answer to "no module installed".
  const readers = facts.readers;
  if (readers.tool === null) add('readers', 'info', 'READERS_TOOL_MISSING', null, { tool: 'OpenSC' });
  else if (!readers.serviceAvailable) add('readers', 'error', 'READERS_SERVICE_DOWN', null, { platform: facts.os.platform, command: startPcscCommand(facts.os.platform) });
  else if (readers.readers.length === 0) add('readers', 'warning', 'READERS_NONE', null);
  for (const reader of readers.readers) {
    if (reader.atr === null) {
      add('readers', 'info', 'READER_EMPTY', reader.name, { reader: reader.name });
      continue;
    }
    const card = reader.cards[0];
    if (!card) add('readers', 'warning', 'CARD_UNKNOWN', reader.name, { reader: reader.name, atr: reader.atr });
    else if (card.middlewareInstalled) add('readers', 'ok', 'CARD_KNOWN_INSTALLED', reader.name, { reader: reader.name, atr: reader.atr, card: card.name, middleware: card.middlewareName ?? card.middleware });
    else add('readers', 'error', 'CARD_MIDDLEWARE_MISSING', reader.name, { reader: reader.name, atr: reader.atr, card: card.name, middleware: card.middlewareName ?? card.middleware });
  }

  if (facts.modules.length === 0) add('modules', 'error', 'MODULE_NONE_INSTALLED', null, { middleware: yourSoftware });
  for (const module of facts.modules) {
    const base: Details = { path: module.path, source: module.source };
    if (module.loaded) {
      add('modules', 'ok', 'MODULE_OK', module.path, { ...base, name: module.name || module.info?.libraryDescription || module.path, libraryVersion: module.info?.libraryVersion ?? null, cryptokiVersion: module.info?.cryptokiVersion ?? null });
      continue;
    }
    const code = module.error?.code;
    const ckr = module.error?.details?.ckr ?? null;
    if (code === 'TOKEN_MODULE_NOT_FOUND') add('modules', 'error', 'MODULE_NOT_FOUND', module.path, base);
    else if (code === 'TOKEN_MODULE_INVALID') add('modules', 'error', 'MODULE_INVALID', module.path, { ...base, reason: module.error?.details?.reason ?? null });
    else if (code === 'TOKEN_MODULE_INIT_FAILED') add('modules', 'error', 'MODULE_INIT_FAILED', module.path, { ...base, ckr });
    else if (code === 'TOKEN_MODULE_NOT_CONFIGURED') add('modules', 'error', 'MODULE_CONFIG_INVALID', module.path, base);
    else add('modules', 'error', 'MODULE_ERROR', module.path, { ...base, code: code ?? 'INTERNAL', ckr });
  }

  const anyLoaded = facts.modules.some((m) => m.loaded);
  if (anyLoaded && facts.tokens.length === 0) add('tokens', 'warning', 'TOKEN_NONE', null);
  for (const token of facts.tokens) {
    const subject = `${token.label} (${token.serialNumber})`;
    const details: Details = { label: token.label, serialNumber: token.serialNumber, slotId: token.slotId, modulePath: token.modulePath, pinPad: token.pin.protectedAuthenticationPath };
    const pin = token.pin;
    if (pin.locked && pin.soLocked) add('tokens', 'error', 'TOKEN_PUK_LOCKED', subject, details);
    else if (pin.locked) add('tokens', 'error', 'TOKEN_PIN_LOCKED', subject, details);
    else if (pin.finalTry) add('tokens', 'warning', 'TOKEN_PIN_FINAL_TRY', subject, details);
    else if (pin.toBeChanged) add('tokens', 'warning', 'TOKEN_PIN_TO_BE_CHANGED', subject, details);
    else if (pin.countLow) add('tokens', 'warning', 'TOKEN_PIN_COUNT_LOW', subject, details);
    else add('tokens', 'ok', 'TOKEN_OK', subject, details);
  }

  for (const token of facts.tokens) {
    if (!facts.certificates.some((c) => c.modulePath === token.modulePath && c.slotId === token.slotId)) {
      add('certificates', 'warning', 'CERT_NONE_ON_TOKEN', `${token.label} (${token.serialNumber})`, { label: token.label });
    }
  }
  for (const cert of facts.certificates) {
    const subject = `${cert.subjectCommonName ?? cert.objectLabel} — ${cert.tokenLabel}`;
    if (!cert.readable) {
      add('certificates', 'error', 'CERT_UNREADABLE', subject, { label: cert.objectLabel, card: cert.tokenLabel });
      continue;
    }
    const details: Details = { name: cert.subjectCommonName ?? cert.objectLabel, serialNumber: cert.serialNumber, notAfter: cert.notAfter, days: cert.daysLeft, card: cert.tokenLabel };
    const days = cert.daysLeft ?? 0;
    const notYet = cert.notBefore !== null && Date.parse(cert.notBefore) > Date.now();
    if (days < 0) add('certificates', 'error', 'CERT_EXPIRED', subject, { ...details, days: -days });
    else if (notYet) add('certificates', 'error', 'CERT_NOT_YET_VALID', subject, { ...details, notBefore: cert.notBefore });
    else if (days <= facts.reminderLeadDays) add('certificates', 'warning', 'CERT_EXPIRING', subject, details);
    else if (!cert.hasPrivateKey) add('certificates', 'info', 'CERT_NO_PRIVATE_KEY', subject, details);
    else add('certificates', 'ok', 'CERT_OK', subject, details);
    addTrustChecks(cert, subject, details, add);
  }

  const service = facts.service;
  if (!facts.serviceChecked) {
    // Skipped on request: nothing to say about the network or the clock.
  } else if (!service.url) add('service', 'info', 'SERVICE_NOT_CONFIGURED', null);
  else if (!service.reachable) add('service', 'error', 'SERVICE_UNREACHABLE', service.url, { url: service.url, reason: service.error ?? 'unknown' });
  else if (service.httpStatus !== null && service.httpStatus >= 500) add('service', 'error', 'SERVICE_HTTP_ERROR', service.url, { url: service.url, status: service.httpStatus });
  else add('service', 'ok', 'SERVICE_OK', service.url, { url: service.url, status: service.httpStatus, roundTripMs: service.roundTripMs });

  if (facts.serviceChecked && service.url) {
    const skew = service.clockSkewSeconds;
    if (skew === null) add('clock', 'info', 'CLOCK_UNKNOWN', null, { url: service.url });
    else if (skew > clockToleranceSeconds) add('clock', 'error', 'CLOCK_AHEAD', null, { amount: formatDuration(skew), seconds: skew });
    else if (skew < -clockToleranceSeconds) add('clock', 'error', 'CLOCK_BEHIND', null, { amount: formatDuration(skew), seconds: skew });
    else add('clock', 'ok', 'CLOCK_OK', null, { seconds: skew });
  }
  return checks;
}
