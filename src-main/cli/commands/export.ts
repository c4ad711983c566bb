/**
 * `obnova export --format der|pem|p7b|pdf [--slot ID | --token-label LABEL] [--id HEX] --out FILE`:
 * the same export.certificate call as the window's Save button, written to a file.
 */
import { writeFileSync } from 'node:fs';
import type { AppError, CertificateList, CertificateSummary, ExportedFileView, Locale, Result } from '../../../src-shared/contract/index.js';
import { exportFormatSchema } from '../../../src-shared/contract/index.js';
import type { MainServices } from '../../app/main-services.js';
import { dispatchCall } from '../../ipc/dispatch.js';

export interface ExportCommandOptions {
  format?: string | undefined;
  out?: string | undefined;
  id?: string | undefined;
  slot?: string | undefined;
  tokenLabel?: string | undefined;
  json: boolean;
  locale: Locale;
}

/** What the command ended with: a usage problem (exit 1), a coded error, or the file written. */
export type ExportOutcome = { usage: string } | { error: AppError } | { written: ExportedFileView & { path: string } };

/** The holder's certificate the command means: `--id` if given, else the only non-CA certificate (the one the app preselects). */
export function pickCertificate(list: CertificateList, id: string | undefined): CertificateSummary | string {
  const readable = list.certificates.filter((c): c is CertificateSummary => c.readable);
  const candidates = id !== undefined ? readable.filter((c) => c.objectId === id.toLowerCase()) : readable.filter((c) => !c.isCertificateAuthority);
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) return id !== undefined ? `no certificate with --id ${id}` : 'no holder certificate on the card';
  const ids = candidates.map((c) => `${c.objectId} (slot ${c.slotId}, ${c.subjectCommonName ?? c.subject})`).join(', ');
  return `several certificates match; choose one with --id and --slot: ${ids}`;
}

export async function runExport(services: MainServices, options: ExportCommandOptions): Promise<ExportOutcome> {
  const format = exportFormatSchema.safeParse(options.format);
  if (!format.success) return { usage: `--format must be one of ${exportFormatSchema.options.join(', ')}` };
  if (!options.out) return { usage: '--out FILE is required' };
  const selector = Object.fromEntries(Object.entries({ slotId: options.slot, tokenLabel: options.tokenLabel }).filter(([, v]) => v !== undefined));
  const list = (await dispatchCall(services.handlers, 'certificates.list', selector)) as Result<CertificateList>;
  if (!list.ok) return { error: list.error };
  const chosen = pickCertificate(list.value, options.id);
  if (typeof chosen === 'string') return { usage: chosen };
  const file = (await dispatchCall(services.handlers, 'export.certificate', {
    slotId: chosen.slotId,
    objectId: chosen.objectId,
    fingerprintSha256: chosen.fingerprintSha256,
    format: format.data,
    locale: options.locale,
  })) as Result<ExportedFileView>;
  if (!file.ok) return { error: file.error };
  // 0644: a certificate is public; the data sheet is meant to be handed over.
  writeFileSync(options.out, Buffer.from(file.value.base64, 'base64'), { mode: 0o644 });
  return { written: { ...file.value, path: options.out } };
}
