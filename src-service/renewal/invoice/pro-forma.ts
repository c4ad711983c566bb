/** A pro-forma invoice's figures and its payment QR payload, from the policy and the order. */
import type { Billing } from '../../../src-shared/contract/protocol/order.js';
import type { Policy, Price, RenewalPath } from '../../../src-shared/contract/protocol/policy.js';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { ipsQrPayload } from './ips-qr.js';
import { referenceFor } from './payment-reference.js';
import { upnQrPayload } from './upn-qr.js';

export interface ProForma {
  number: string;
  reference: string;
  currency: Policy['currency'];
  vatBasisPoints: number;
  amount: Price;
  issuedAt: Date;
  dueAt: Date;
  path: RenewalPath;
  billing: Billing;
  qrPayload: string;
}

/** Purpose line shown on the payment order. */
export function purposeText(number: string, market: Policy['market']): string {
  return market === 'si' ? `Obnova potrdila, predračun ${number}` : `Obnova sertifikata ${number}`;
}

/** The QR payload for a pro-forma invoice in the market's format. */
export function paymentPayload(policy: Policy, invoice: Omit<ProForma, 'qrPayload'>): string {
  const purpose = purposeText(invoice.number, policy.market);
  if (policy.paymentQr === 'upn-qr') {
    return upnQrPayload({
      payerName: invoice.billing.name,
      payerStreet: invoice.billing.street,
      payerCity: `${invoice.billing.postalCode} ${invoice.billing.city}`,
      amount: invoice.amount.gross,
      purposeCode: policy.payee.purposeCode,
      purpose,
      due: invoice.dueAt,
      payeeIban: policy.payee.account,
      payeeReference: invoice.reference,
      payeeName: policy.payee.name,
      payeeStreet: policy.payee.street,
      payeeCity: policy.payee.city,
    });
  }
  return ipsQrPayload({
    account: policy.payee.account,
    payee: [policy.payee.name, policy.payee.city],
    amount: invoice.amount.gross,
    payer: [invoice.billing.name, invoice.billing.street, `${invoice.billing.postalCode} ${invoice.billing.city}`],
    paymentCode: policy.payee.purposeCode,
    purpose,
    reference: invoice.reference,
  });
}

/**
 * Refuses, before an order is stored, billing data the market's payment code cannot carry (e.g. a
 * name with no letter ISO 8859-2 or NBS allows): the invoice of a stored order must always print.
 */
export function assertPayable(policy: Policy, billing: Billing, amount: Price, now: Date): void {
  const probe = '1000000000';
  try {
    paymentPayload(policy, { number: probe, reference: referenceFor(policy, probe), currency: policy.currency, vatBasisPoints: policy.vatBasisPoints, amount, issuedAt: now, dueAt: now, path: 'existing-media', billing });
  } catch (error) {
    if (error instanceof ObnovaError && error.code === 'INPUT_INVALID') throw new ObnovaError('RENEWAL_DOCUMENT_INVALID', `billing: ${error.message}`);
    throw error;
  }
}
