/** An order's pro-forma invoice: the protocol view, the QR payload and the PDF. */
import type { Invoice } from '../../src-shared/contract/protocol/order.js';
import type { Policy } from '../../src-shared/contract/protocol/policy.js';
import { renderInvoicePdf } from './invoice/invoice-pdf.js';
import { paymentPayload, type ProForma } from './invoice/pro-forma.js';
import type { Order } from './orders/order-repository.js';

/** The figures of the order's invoice. */
export function proForma(policy: Policy, order: Order): ProForma {
  const base = {
    number: order.invoiceNumber,
    reference: order.reference,
    currency: order.currency,
    vatBasisPoints: order.vatBasisPoints,
    amount: { net: order.net, vat: order.vat, gross: order.gross },
    issuedAt: new Date(order.issuedAt),
    dueAt: new Date(order.dueAt),
    path: order.path,
    billing: order.billing,
  };
  return { ...base, qrPayload: paymentPayload(policy, base) };
}

/** The protocol's invoice object. */
export function invoiceView(policy: Policy, order: Order): Invoice {
  const p = proForma(policy, order);
  return {
    number: p.number,
    currency: p.currency,
    vatBasisPoints: p.vatBasisPoints,
    amount: p.amount,
    reference: p.reference,
    issuedAt: order.issuedAt,
    dueAt: order.dueAt,
    qrPayload: p.qrPayload,
    pdf: `/v1/orders/${order.id}/invoice.pdf`,
  };
}

/** The invoice PDF bytes. */
export function invoicePdf(policy: Policy, order: Order): Promise<Uint8Array> {
  return renderInvoicePdf(policy, proForma(policy, order));
}
