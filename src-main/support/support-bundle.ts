/**
 * The support bundle: diagnostics JSON, settings, recent logs, the certificates' public data and the
 * renewal journal, scrubbed of secrets. The preview is the list of files exactly as they are zipped.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import type { DiagnosticsReport } from '../../src-shared/contract/schemas/diagnostics.js';
import type { BundleFile, BundleResult } from '../../src-shared/contract/schemas/support.js';
import { toPem } from '../../src-shared/pki/pem.js';
import { certificateValuesOf } from '../diagnostics/run-diagnostics.js';
import type { ParsedValue } from '../diagnostics/certificate-trust.js';
import { logsDirName } from '../logging/app-logger.js';
import { scrubDocument, SecretHarvest } from './scrub.js';

/** How much of the logs goes in: the newest bytes, at most this many in total. */
export const maxLogBytes = 512 * 1024;
/** Folder of the renewal journal inside the app data folder (written by src-main/renewal). */
export const journalDirName = 'journal';

export interface BundleSources {
  appDataDir: string;
  report: DiagnosticsReport;
  /** Extra secrets known to the caller (e.g. the bridge secret) that must not appear anywhere. */
  knownSecrets?: readonly string[];
  /** The certificates read by the diagnostics run; by default those of the run that made `report`. */
  certificateValues?: readonly ParsedValue[];
}

/** One PEM file per certificate object, named by slot and CKA_ID, with openssl-style subject/issuer lines above it. */
function certificatePemFiles(values: readonly ParsedValue[]): Array<{ name: string; description: string; text: string }> {
  const used = new Set<string>();
  return values.map(({ value, certificate }, index) => {
    let name = `certificates/slot${value.slotId}-${value.objectId || `object${index}`}.pem`;
    if (used.has(name)) name = name.replace(/\.pem$/, `-${index}.pem`);
    used.add(name);
    const text = `subject=${certificate.subject}\nissuer=${certificate.issuer}\nserial=${certificate.serialNumber}\n${toPem(value.der, 'CERTIFICATE')}`;
    return { name, description: 'A certificate from the card (public, as stored on the card)', text };
  });
}

function tail(path: string, bytes: number): string {
  const data = readFileSync(path);
  if (data.length <= bytes) return data.toString('utf8');
  // Start after the first newline of the cut so no half line (and no half secret) goes in.
  const cut = data.subarray(data.length - bytes);
  const newline = cut.indexOf(0x0a);
  return cut.subarray(newline + 1).toString('utf8');
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

/** The files of a bundle, scrubbed; what the preview shows and the zip holds. */
export function collectBundleFiles(sources: BundleSources): BundleFile[] {
  const harvest = new SecretHarvest();
  for (const secret of sources.knownSecrets ?? []) harvest.add(secret);
  const raw: Array<{ name: string; description: string; text: string }> = [];

  raw.push({ name: 'diagnostics.json', description: 'What Obnova found on this computer, with a verdict per check', text: JSON.stringify(sources.report, null, 2) });
  const certificates = sources.report.certificates.map(({ modulePath: _m, ...publicData }) => publicData);
  raw.push({ name: 'certificates.json', description: 'Public data of the certificates on the cards (no keys)', text: JSON.stringify(certificates, null, 2) });
  raw.push(...certificatePemFiles(sources.certificateValues ?? certificateValuesOf(sources.report)));

  const settingsPath = join(sources.appDataDir, 'settings.json');
  if (existsSync(settingsPath)) raw.push({ name: 'settings.json', description: 'Obnova settings', text: readFileSync(settingsPath, 'utf8') });

  // Newest log first (obnova.log, obnova.1.log, …) until the byte budget is used.
  let budget = maxLogBytes;
  const logs = listFiles(join(sources.appDataDir, logsDirName))
    .filter((p) => p.endsWith('.log'))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs || a.localeCompare(b));
  for (const path of logs) {
    if (budget <= 0) break;
    const text = tail(path, budget);
    budget -= Buffer.byteLength(text);
    raw.push({ name: `logs/${basename(path)}`, description: 'Recent app log', text });
  }

  for (const path of listFiles(join(sources.appDataDir, journalDirName)).sort()) {
    raw.push({ name: `journal/${basename(path)}`, description: 'Renewal journal (order steps)', text: tail(path, maxLogBytes) });
  }

  // Pass 1 scrubs by structure and harvests the secret values; pass 2 erases those values everywhere.
  const scrubbed = raw.map((file) => ({ ...file, text: scrubDocument(file.text, harvest) }));
  return scrubbed.map((file) => {
    const content = harvest.erase(file.text);
    return { name: file.name, description: file.description, content, sizeBytes: Buffer.byteLength(content) };
  });
}

/** Zips the files as they are (DEFLATE, fixed time so the same files give the same bytes). */
export function zipBundle(files: readonly BundleFile[]): Uint8Array {
  const entries: Record<string, [Uint8Array, { mtime: Date }]> = {};
  const mtime = new Date('2020-01-01T00:00:00Z');
  for (const file of files) entries[file.name] = [strToU8(file.content), { mtime }];
  return zipSync(entries, { level: 6 });
}

/** Writes the zip into `<appData>/support/` (or `outPath`) and says where. */
export function writeBundle(files: readonly BundleFile[], options: { appDataDir: string; outPath?: string; now?: Date }): BundleResult {
  const now = options.now ?? new Date();
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const path = options.outPath ?? join(options.appDataDir, 'support', `obnova-support-${stamp}.zip`);
  mkdirSync(join(path, '..'), { recursive: true });
  const zip = zipBundle(files);
  writeFileSync(path, zip, { mode: 0o600 });
  return { path, fileName: basename(path), sizeBytes: zip.length, files: files.map((f) => f.name) };
}
