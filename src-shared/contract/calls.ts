/**
 * Every request/response call between the renderer (or CLI, or bridge) and the main process.
 * The key is the IPC channel and the bridge path; `method` is the name on window.obnova.
 */
import { z } from 'zod';
import { events } from './events.js';
import { appInfoSchema } from './schemas/app.js';
import { certificateListSchema } from './schemas/certificate.js';
import { tokenListSchema, tokenSelectorSchema } from './schemas/token.js';
import { diagnosticsReportSchema, diagnosticsRunInputSchema } from './schemas/diagnostics.js';
import { settingsUpdateSchema, settingsViewSchema } from './schemas/settings.js';
import { bundleCreateInputSchema, bundlePreviewSchema, bundleResultSchema } from './schemas/support.js';
import { reminderListSchema } from './schemas/reminders.js';
import { pinChangeInputSchema, pinInfoSchema, pinTargetSchema, pinUnblockInputSchema } from './schemas/pin.js';
import { pinStateSchema } from './schemas/token.js';
import { exportCertificateInputSchema, exportedFileSchema } from './schemas/export.js';
import { certificateRefSchema, eligibilityViewSchema } from './schemas/renewal.js';
import { cancelResultSchema, receiveInputSchema, receiveResultSchema } from './schemas/renewal-receive.js';
import { invoiceFileSchema, newCardViewSchema, orderIdInputSchema, orderListSchema, orderPreparationSchema, outgoingIdInputSchema, placeOrderInputSchema, storedOrderSchema } from './schemas/renewal-order.js';

const noInput = z.object({}).strict();

export const calls = {
  'app.info': { method: 'getAppInfo', input: noInput, output: appInfoSchema },
  'app.takeOpenedLink': { method: 'takeOpenedLink', input: noInput, output: events['app.link-opened'].payload.nullable() },
  'tokens.list': { method: 'listTokens', input: noInput, output: tokenListSchema },
  'certificates.list': { method: 'listCertificates', input: tokenSelectorSchema, output: certificateListSchema },
  'diagnostics.run': { method: 'runDiagnostics', input: diagnosticsRunInputSchema, output: diagnosticsReportSchema },
  'settings.get': { method: 'getSettings', input: noInput, output: settingsViewSchema },
  'settings.update': { method: 'updateSettings', input: settingsUpdateSchema, output: settingsViewSchema },
  'settings.reset': { method: 'resetSettings', input: noInput, output: settingsViewSchema },
  'support.preview': { method: 'previewSupportBundle', input: noInput, output: bundlePreviewSchema },
  'support.create': { method: 'createSupportBundle', input: bundleCreateInputSchema, output: bundleResultSchema },
  'reminders.list': { method: 'listReminders', input: noInput, output: reminderListSchema },
  'pin.state': { method: 'getPinState', input: pinTargetSchema, output: pinInfoSchema },
  'pin.change': { method: 'changePin', input: pinChangeInputSchema, output: pinStateSchema },
  'pin.unblock': { method: 'unblockPin', input: pinUnblockInputSchema, output: pinStateSchema },
  'export.certificate': { method: 'exportCertificate', input: exportCertificateInputSchema, output: exportedFileSchema },
  'renewal.check': { method: 'checkRenewal', input: certificateRefSchema, output: eligibilityViewSchema },
  'renewal.prepareOrder': { method: 'prepareOrder', input: certificateRefSchema, output: orderPreparationSchema },
  'renewal.placeOrder': { method: 'placeOrder', input: placeOrderInputSchema, output: storedOrderSchema },
  'orders.list': { method: 'listOrders', input: noInput, output: orderListSchema },
  'orders.refresh': { method: 'refreshOrder', input: orderIdInputSchema, output: storedOrderSchema },
  'orders.resend': { method: 'resendOrder', input: outgoingIdInputSchema, output: storedOrderSchema },
  'orders.invoice': { method: 'getInvoice', input: orderIdInputSchema, output: invoiceFileSchema },
  'renewal.receive': { method: 'receiveCertificate', input: receiveInputSchema, output: receiveResultSchema },
  'renewal.completeNewCard': { method: 'completeNewCard', input: orderIdInputSchema, output: newCardViewSchema },
  'renewal.cancel': { method: 'cancelRenewalCalls', input: noInput, output: cancelResultSchema },
} as const satisfies Record<string, { method: string; input: z.ZodType; output: z.ZodType }>;

export type CallName = keyof typeof calls;
export type CallInput<C extends CallName> = z.input<(typeof calls)[C]['input']>;
export type CallParsedInput<C extends CallName> = z.output<(typeof calls)[C]['input']>;
export type CallOutput<C extends CallName> = z.output<(typeof calls)[C]['output']>;
export type CallMethod<C extends CallName> = (typeof calls)[C]['method'];

export const callNames = Object.keys(calls) as CallName[];

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(calls, name);
}
