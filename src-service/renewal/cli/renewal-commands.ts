/** `obnova-ca orders|payments|cards|notifications`: the renewal back office from a terminal. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { orderStatusSchema } from '../../../src-shared/contract/protocol/order.js';
import { softHsmModule } from '../../ca/ca-setup.js';
import { actor, caDir, type CliIo } from '../../cli/args.js';
import { keySpecSchema } from '../../hsm/key-spec.js';
import { expireOverdue, markPaid } from '../admin-actions.js';
import { formatMoney } from '../invoice/invoice-pdf.js';
import { cardDelivered, produceCard, shipCard } from '../new-media.js';
import { markNotificationsSent, pendingNotifications } from '../notifications.js';
import { getOrder, listOrders, orderTimeline, type Order } from '../orders/order-repository.js';
import { importPayments } from '../payments/import-payments.js';
import { withRenewal } from './with-renewal.js';

export const renewalUsage = `  orders list [--status S] [--json] | orders show ID [--json] | orders mark-paid ID | orders expire
  payments import FILE [--json]          (ISO 20022 camt.053; matched by reference, the rest reported)
  cards produce ORDER [--module M] [--token-label L] [--key-spec S] [--json] | cards ship ORDER | cards delivered ORDER
  notifications [--mark-sent] [--json]   (the outbox of holder e-mails)`;

function publicOrder({ accessTokenSha256: _t, ...o }: Order) {
  return o;
}

function line(o: Order): string {
  return `${o.id}  ${o.status.padEnd(18)} ${o.path.padEnd(14)} ${formatMoney(o.gross, o.currency).padStart(14)}  ${o.reference}  ${o.createdAt}`;
}

/** `orders list|show|mark-paid`. */
export async function ordersCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { dir: { type: 'string' }, status: { type: 'string' }, json: { type: 'boolean' } } });
  return withRenewal(caDir(values, io.env), io, async (ctx) => {
    if (sub === 'list') {
      const orders = await listOrders(ctx.db, values.status ? orderStatusSchema.parse(values.status) : undefined);
      if (values.json) io.out(JSON.stringify(orders.map(publicOrder), null, 2));
      else for (const o of orders) io.out(line(o));
      return 0;
    }
    if (sub === 'expire') {
      const expired = await expireOverdue(ctx, actor(io.env));
      io.out(`${expired.length} unpaid order(s) past their due date expired${expired.length ? `: ${expired.join(' ')}` : ''}`);
      return 0;
    }
    const id = positionals[0];
    if (!id) throw new ObnovaError('INPUT_INVALID', `orders ${sub ?? ''} needs an order id`);
    if (sub === 'show') {
      const order = await getOrder(ctx.db, id);
      const timeline = await orderTimeline(ctx.db, id);
      if (values.json) io.out(JSON.stringify({ ...publicOrder(order), timeline }, null, 2));
      else {
        io.out(line(order));
        io.out(`  certificate ${order.certificateSerial}  holder ${order.holderId}  e-mail ${order.email}`);
        for (const t of timeline) io.out(`  ${t.at}  ${t.status}`);
      }
      return 0;
    }
    if (sub === 'mark-paid') {
      const order = await markPaid(ctx, id, actor(io.env));
      io.out(`order ${order.id} is ${order.status}`);
      return 0;
    }
    throw new ObnovaError('INPUT_INVALID', 'orders list|show|mark-paid|expire');
  });
}

/** `payments import FILE`. */
export async function paymentsCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { dir: { type: 'string' }, json: { type: 'boolean' } } });
  if (sub !== 'import' || !positionals[0]) throw new ObnovaError('INPUT_INVALID', 'payments import FILE');
  const xml = readFileSync(positionals[0], 'utf8');
  return withRenewal(caDir(values, io.env), io, async (ctx) => {
    const lines = await importPayments(ctx, xml, actor(io.env));
    if (values.json) io.out(JSON.stringify(lines, null, 2));
    else {
      for (const l of lines) io.out(`${l.outcome.padEnd(16)} ${formatMoney(l.amount, l.currency).padStart(14)}  ${(l.reference ?? '-').padEnd(22)} ${l.orderId ?? '-'}  ${l.note}`);
      const count = (o: string) => lines.filter((l) => l.outcome === o).length;
      io.out(`${count('matched')} matched, ${lines.length - count('matched') - count('already-imported')} to check by hand, ${count('already-imported')} already imported`);
    }
    return 0;
  });
}

/** `cards produce|ship|delivered ORDER`. */
export async function cardsCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { dir: { type: 'string' }, module: { type: 'string' }, 'token-label': { type: 'string' }, 'key-spec': { type: 'string' }, json: { type: 'boolean' } },
  });
  const id = positionals[0];
  if (!id) throw new ObnovaError('INPUT_INVALID', `cards ${sub ?? ''} needs an order id`);
  return withRenewal(caDir(values, io.env), io, async (ctx) => {
    if (sub === 'produce') {
      const { order, card } = await produceCard(ctx, id, {
        module: values.module ?? softHsmModule,
        tokenLabel: values['token-label'] ?? `obnova-${id}`,
        keySpec: values['key-spec'] ? keySpecSchema.parse(values['key-spec']) : undefined,
        actor: actor(io.env),
      });
      const summary = { orderId: order.id, status: order.status, tokenLabel: card.tokenLabel, tokenSerial: card.tokenSerial, serial: card.record.serial, mailer: card.mailer };
      if (values.json) io.out(JSON.stringify(summary, null, 2));
      else {
        io.out(`order ${order.id}: certificate ${card.record.serial} on new token "${card.tokenLabel}" (serial ${card.tokenSerial}); ${order.status}`);
        // The PIN mailer: printed once, here, for the envelope; never stored or logged.
        if (card.mailer) io.out(`PIN mailer\n  PIN  ${card.mailer.pin}\n  PUK  ${card.mailer.puk}`);
      }
      return 0;
    }
    if (sub === 'ship' || sub === 'delivered') {
      const order = sub === 'ship' ? await shipCard(ctx, id, actor(io.env)) : await cardDelivered(ctx, id, actor(io.env));
      io.out(`order ${order.id} is ${order.status}`);
      return 0;
    }
    throw new ObnovaError('INPUT_INVALID', 'cards produce|ship|delivered ORDER');
  });
}

/** `notifications`: prints the outbox (what the mailer would send). */
export async function notificationsCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { dir: { type: 'string' }, 'mark-sent': { type: 'boolean' }, json: { type: 'boolean' } } });
  return withRenewal(caDir(values, io.env), io, async (ctx) => {
    const pending = await pendingNotifications(ctx.db, 1000);
    if (values.json) io.out(JSON.stringify(pending, null, 2));
    else for (const n of pending) io.out(`--- #${n.id} ${n.kind} (${n.locale}) to ${n.to_address}\nSubject: ${n.subject}\n\n${n.body}\n`);
    if (values['mark-sent']) await markNotificationsSent(ctx.db, pending.map((n) => Number(n.id)), ctx.now());
    return 0;
  });
}
