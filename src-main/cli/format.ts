/** Human-readable output of the CLI; the JSON output is the contract's objects as they are. */
import type { CertificateEntry, CertificateList, Locale, Notice, TokenList } from '../../src-shared/contract/index.js';
import { describeError } from '../../src-shared/i18n/index.js';

export function formatTokens(list: TokenList): string {
  const lines = [`Module: ${list.module.path} (${list.module.libraryDescription || 'no description'}, ${list.module.manufacturer || 'unknown maker'})`];
  if (list.tokens.length === 0) lines.push('No card or token is present.');
  for (const token of list.tokens) {
    const pin = token.pin;
    const pinState = pin.locked ? 'PIN locked' : pin.finalTry ? 'PIN: final try' : pin.countLow ? 'PIN: tries running low' : 'PIN ok';
    lines.push(
      `- Slot ${token.slotId}: "${token.label}" — ${token.manufacturer} ${token.model}, serial ${token.serialNumber}, ${pinState}` +
        `${pin.protectedAuthenticationPath ? ', PIN pad reader' : ''} (PIN ${pin.minLength}–${pin.maxLength} characters)`,
    );
  }
  return lines.join('\n');
}

export function formatCertificates(list: CertificateList, locale: Locale, now: Date = new Date()): string {
  const blocks = list.certificates.map((entry) => formatEntry(entry, locale, now));
  for (const notice of list.notices) blocks.push(formatNotice(notice, locale));
  if (blocks.length === 0) blocks.push('No certificates found.');
  return blocks.join('\n\n');
}

function formatEntry(entry: CertificateEntry, locale: Locale, now: Date): string {
  const head = `Card "${entry.tokenLabel}" (slot ${entry.slotId}) — object "${entry.objectLabel}", ID ${entry.objectId || '(none)'}`;
  if (!entry.readable) return `${head}\n  Unreadable: ${describeError(entry.problem.code, locale)} (${entry.problem.code})`;
  const key = entry.keyAlgorithm;
  const keyText = `${key.name}${key.size ? ` ${key.size}` : ''}${key.curve ? ` ${key.curve}` : ''}`;
  const privateKey = entry.hasPrivateKey ? `private key on card (${entry.privateKeyEvidence})` : 'no private key found on card';
  return [
    head,
    `  Holder:     ${entry.subjectCommonName ?? entry.subject}`,
    `  Subject:    ${entry.subject}`,
    `  Issuer:     ${entry.issuer}`,
    `  Serial:     ${entry.serialNumber}`,
    `  Valid:      ${entry.notBefore.slice(0, 10)} to ${entry.notAfter.slice(0, 10)} (${expiryText(entry.notAfter, now)})`,
    `  SHA-256:    ${groupHex(entry.fingerprintSha256)}`,
    `  Key:        ${keyText}, ${privateKey}`,
    `  Qualified:  ${entry.qualified ? 'yes (QcCompliance)' : 'no'}`,
  ].join('\n');
}

function formatNotice(notice: Notice, locale: Locale): string {
  return `Card "${notice.tokenLabel}" (slot ${notice.slotId}): ${describeError(notice.code, locale)} (${notice.code})`;
}

const dayMs = 86_400_000;

export function expiryText(notAfter: string, now: Date): string {
  const days = Math.floor((Date.parse(notAfter) - now.getTime()) / dayMs);
  if (days < 0) return `expired ${-days} day${days === -1 ? '' : 's'} ago`;
  return `expires in ${days} day${days === 1 ? '' : 's'}`;
}

export function groupHex(hex: string): string {
  return (hex.toUpperCase().match(/.{2}/g) ?? []).join(':');
}
