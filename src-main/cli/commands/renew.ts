/**
 * `obnova renew check|order|status|receive`: the renewal journey from a terminal for helpdesks and
 * scripts, through the same calls as the window. The PIN only ever comes from stdin (--pin-stdin), or the
 * holder types it on the reader's PIN pad (--pin-pad).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { AppError, CertificateList, EligibilityView, Locale, OrderList, OrderPreparation, PinCredential, ReceiveResult, Result, StoredOrder } from '../../../src-shared/contract/index.js';
import { billingSchema } from '../../../src-shared/contract/protocol/order.js';
import { formatDate, sharedI18n } from '../../../src-shared/i18n/index.js';
import type { MainServices } from '../../app/main-services.js';
import { dispatchCall } from '../../ipc/dispatch.js';
import { pickCertificate } from './export.js';

export interface RenewOptions {
  slot?: string | undefined;
  tokenLabel?: string | undefined;
  id?: string | undefined;
  order?: string | undefined;
  billing?: string | undefined;
  pinStdin: boolean;
  /** The holder types the PIN on the reader's PIN pad (CKF_PROTECTED_AUTHENTICATION_PATH). */
  pinPad?: boolean;
  /** Tells the holder what to do at the reader (standard error); never given a secret. */
  say?: (text: string) => void;
  json: boolean;
  locale: Locale;
  /** Reads all of stdin (the PIN); injectable for tests. */
  readStdin: () => Promise<string>;
}

/** What `renew` ended with: text/JSON to print and the exit code, a usage problem, or a coded error. */
export type RenewOutcome = { usage: string } | { error: AppError } | { output: unknown; text: string; code: number };

/** Exit code of `renew check` when the certificate cannot be renewed online (0 when it can). */
export const notEligibleExitCode = 4;

/** `--billing FILE.json`: the buyer and the e-mail for the invoice. */
export const billingFileSchema = billingSchema.extend({ email: z.string().email().max(254) });

function unwrap<T>(result: Result<unknown>): T {
  if (!result.ok) throw Object.assign(new Error(result.error.message), { appError: result.error });
  return result.value as T;
}

async function chosenCertificate(services: MainServices, options: RenewOptions) {
  const selector = Object.fromEntries(Object.entries({ slotId: options.slot, tokenLabel: options.tokenLabel }).filter(([, v]) => v !== undefined));
  const list = unwrap<CertificateList>(await dispatchCall(services.handlers, 'certificates.list', selector));
  return pickCertificate(list, options.id);
}

function checklistText(view: EligibilityView, locale: Locale): string {
  const t = sharedI18n().getFixedT(locale);
  const mark = { pass: 'ok  ', fail: 'FAIL', unknown: '??  ' } as const;
  const keys: Record<string, string> = { valid: 'valid', 'issued-by-ca': 'issuedByCa', 'not-expired': 'notExpired', 'not-revoked': 'notRevoked', 'data-unchanged': 'dataUnchanged', 'online-renewal': 'onlineRenewal', 'renewal-window': 'renewalWindow' };
  const days = view.certificate.daysToExpiry;
  const lines = [
    `${view.certificate.commonName ?? view.certificate.subject} — ${view.certificate.serialNumber}`,
    `${days < 0 ? t('certificate.state.expiredAgo', { count: -days }) : t('certificate.state.expiresIn', { count: days })} (${formatDate(view.certificate.notAfter, locale)})`,
    '',
  ];
  for (const c of view.checks) {
    lines.push(`[${mark[c.status]}] ${t(`renewal.checks.${keys[c.id]}`)}${c.code ? ` [${c.code}]` : ''}`);
    if (c.status !== 'pass' && c.code) lines.push(`       ${t(`errors.${c.code}`)}`);
    if (c.status !== 'pass' && c.instead) lines.push(`       ${t(`renewal.instead.${c.instead}`)}`);
  }
  lines.push('', view.eligible ? t('renewal.eligible') : t('renewal.notEligible'));
  if (view.path) lines.push(t(`renewal.path.${view.path}`));
  return lines.join('\n');
}

function orderText(order: StoredOrder): string {
  const timeline = order.timeline.map((e) => `${e.at} ${e.status}`).join('\n  ');
  return `${order.orderId}  ${order.status}  ${order.path}  ${order.invoice.reference}  ${(order.invoice.amount.gross / 100).toFixed(2)} ${order.invoice.currency}\n  ${timeline}`;
}

/** The PIN from stdin, or "on the pad"; a usage text when neither or both were chosen. */
async function readPin(options: RenewOptions, command: 'order' | 'receive'): Promise<PinCredential | { usage: string }> {
  if (options.pinPad && options.pinStdin) return { usage: 'choose --pin-stdin or --pin-pad, not both' };
  if (options.pinPad) return { pinPad: true };
  const usage = { usage: `renew ${command} needs --pin-stdin and the PIN on standard input, or --pin-pad` };
  if (!options.pinStdin) return usage;
  const pin = (await options.readStdin()).split(/\r?\n/)[0]?.trim() ?? '';
  return pin.length > 0 ? pin : usage;
}

const isUsage = (value: PinCredential | { usage: string }): value is { usage: string } => typeof value !== 'string' && 'usage' in value;

/** Says what to type on the reader, right before the call that waits for it. */
function promptPad(options: RenewOptions, what: string): void {
  if (options.pinPad) options.say?.(`obnova: type the card's PIN on the reader's keypad ${what}; the reader's Cancel key stops`);
}

export async function runRenew(services: MainServices, sub: string | undefined, options: RenewOptions): Promise<RenewOutcome> {
  try {
    switch (sub) {
      case 'check': {
        const chosen = await chosenCertificate(services, options);
        if (typeof chosen === 'string') return { usage: chosen };
        const view = unwrap<EligibilityView>(await dispatchCall(services.handlers, 'renewal.check', { slotId: chosen.slotId, objectId: chosen.objectId, fingerprintSha256: chosen.fingerprintSha256 }));
        return { output: view, text: checklistText(view, options.locale), code: view.eligible ? 0 : notEligibleExitCode };
      }
      case 'order': {
        if (!options.billing) return { usage: 'renew order needs --billing FILE.json' };
        const billingFile = billingFileSchema.safeParse(JSON.parse(readFileSync(options.billing, 'utf8')));
        if (!billingFile.success) return { usage: `--billing: ${billingFile.error.issues[0]?.path.join('.') ?? ''}: ${billingFile.error.issues[0]?.message ?? 'invalid'}` };
        const pin = await readPin(options, 'order');
        if (isUsage(pin)) return pin;
        const chosen = await chosenCertificate(services, options);
        if (typeof chosen === 'string') return { usage: chosen };
        const ref = { slotId: chosen.slotId, objectId: chosen.objectId, fingerprintSha256: chosen.fingerprintSha256 };
        const prep = unwrap<OrderPreparation>(await dispatchCall(services.handlers, 'renewal.prepareOrder', ref));
        const { email, ...billing } = billingFile.data;
        const document = { type: 'obnova.renewal-order', version: 1, market: prep.market, nonce: prep.nonce, certificateSerial: prep.certificateSerial, billing, email, locale: options.locale };
        promptPad(options, 'to sign the order');
        const order = unwrap<StoredOrder>(await dispatchCall(services.handlers, 'renewal.placeOrder', { certificate: ref, document, pin }));
        return { output: order, text: orderText(order), code: 0 };
      }
      case 'status': {
        const stored = unwrap<OrderList>(await dispatchCall(services.handlers, 'orders.list', {})).orders.filter((o) => !options.order || o.orderId === options.order);
        const orders: StoredOrder[] = [];
        for (const o of stored) orders.push(unwrap<StoredOrder>(await dispatchCall(services.handlers, 'orders.refresh', { orderId: o.orderId })));
        return { output: { orders }, text: orders.map(orderText).join('\n') || '(no orders)', code: 0 };
      }
      case 'receive': {
        const pin = await readPin(options, 'receive');
        if (isUsage(pin)) return pin;
        const orders = unwrap<OrderList>(await dispatchCall(services.handlers, 'orders.list', {})).orders;
        const open = orders.filter((o) => (options.order ? o.orderId === options.order : o.status !== 'completed' && o.path === 'existing-media'));
        if (open.length !== 1) return { usage: open.length === 0 ? 'no order to receive; see "obnova renew status"' : `several orders; choose one with --order: ${open.map((o) => o.orderId).join(', ')}` };
        promptPad(options, 'to unlock the card for receiving');
        const result = unwrap<ReceiveResult>(await dispatchCall(services.handlers, 'renewal.receive', { orderId: open[0]!.orderId, pin }));
        return { output: result, text: `${result.orderId} ${result.status}: new certificate ${result.serial} (key ${result.keyId})${result.resumes > 0 ? `, resumed from ${result.resumedFrom}` : ''}`, code: 0 };
      }
      default:
        return { usage: 'renew needs one of: check, order, status, receive' };
    }
  } catch (error) {
    const appError = (error as { appError?: AppError }).appError;
    if (appError) return { error: appError };
    if (error instanceof SyntaxError) return { usage: `--billing: ${error.message}` };
    throw error;
  }
}
