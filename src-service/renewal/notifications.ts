/**
 * Holder notifications as an outbox: rendered per locale into the table in the same step that
 * causes them; a mailer (or the demo) reads and marks them sent.
 */
import type { Kysely } from 'kysely';
import type { RenewalDatabase } from './db/renewal-schema.js';
import type { Order } from './orders/order-repository.js';

export type NotificationKind = 'order-placed' | 'payment-received' | 'card-shipped' | 'certificate-issued';

type Render = (o: Order, amount: string) => { subject: string; body: string };

const templates: Record<'sl' | 'sr-Latn' | 'sr-Cyrl' | 'en', Record<NotificationKind, Render>> = {
  sl: {
    'order-placed': (o, a) => ({ subject: `Naročilo obnove ${o.id}`, body: `Prejeli smo vaše naročilo obnove potrdila.\nZa plačilo: ${a}, referenca ${o.reference}, rok ${o.dueAt.slice(0, 10)}.\nPredračun je priložen v programu Obnova.` }),
    'payment-received': (o) => ({
      subject: `Plačilo prejeto – ${o.id}`,
      body: o.path === 'existing-media' ? 'Plačilo smo prejeli. Novo potrdilo prevzamete v programu Obnova na isti kartici.' : 'Plačilo smo prejeli. Poslali vam bomo novo kartico z novim PIN in PUK.',
    }),
    'card-shipped': (o) => ({ subject: `Kartica poslana – ${o.id}`, body: 'Nova kartica je na poti. PIN in PUK prejmete v ločeni pošiljki.' }),
    'certificate-issued': (o) => ({ subject: `Potrdilo izdano – ${o.id}`, body: 'Vaše novo kvalificirano potrdilo je izdano.' }),
  },
  'sr-Latn': {
    'order-placed': (o, a) => ({ subject: `Porudžbina obnove ${o.id}`, body: `Primili smo vašu porudžbinu obnove sertifikata.\nZa uplatu: ${a}, poziv na broj ${o.reference}, rok ${o.dueAt.slice(0, 10)}.\nPredračun je dostupan u programu Obnova.` }),
    'payment-received': (o) => ({
      subject: `Uplata primljena – ${o.id}`,
      body: o.path === 'existing-media' ? 'Uplata je primljena. Novi sertifikat preuzmite u programu Obnova na istoj kartici.' : 'Uplata je primljena. Poslaćemo vam novu karticu sa novim PIN i PUK kodom.',
    }),
    'card-shipped': (o) => ({ subject: `Kartica poslata – ${o.id}`, body: 'Nova kartica je na putu. PIN i PUK stižu u posebnoj pošiljci.' }),
    'certificate-issued': (o) => ({ subject: `Sertifikat izdat – ${o.id}`, body: 'Vaš novi kvalifikovani sertifikat je izdat.' }),
  },
  'sr-Cyrl': {
    'order-placed': (o, a) => ({ subject: `Поруџбина обнове ${o.id}`, body: `Примили смо вашу поруџбину обнове сертификата.\nЗа уплату: ${a}, позив на број ${o.reference}, рок ${o.dueAt.slice(0, 10)}.\nПредрачун је доступан у програму Обнова.` }),
    'payment-received': (o) => ({
      subject: `Уплата примљена – ${o.id}`,
      body: o.path === 'existing-media' ? 'Уплата је примљена. Нови сертификат преузмите у програму Обнова на истој картици.' : 'Уплата је примљена. Послаћемо вам нову картицу са новим ПИН и ПУК кодом.',
    }),
    'card-shipped': (o) => ({ subject: `Картица послата – ${o.id}`, body: 'Нова картица је на путу. ПИН и ПУК стижу у посебној пошиљци.' }),
    'certificate-issued': (o) => ({ subject: `Сертификат издат – ${o.id}`, body: 'Ваш нови квалификовани сертификат је издат.' }),
  },
  en: {
    'order-placed': (o, a) => ({ subject: `Renewal order ${o.id}`, body: `We received your certificate renewal order.\nTo pay: ${a}, reference ${o.reference}, due ${o.dueAt.slice(0, 10)}.\nThe pro-forma invoice is in Obnova.` }),
    'payment-received': (o) => ({
      subject: `Payment received – ${o.id}`,
      body: o.path === 'existing-media' ? 'We received your payment. Pick up the new certificate in Obnova, on the same card.' : 'We received your payment. We will send you a new card with a new PIN and PUK.',
    }),
    'card-shipped': (o) => ({ subject: `Card shipped – ${o.id}`, body: 'Your new card is on its way. The PIN and PUK come in a separate letter.' }),
    'certificate-issued': (o) => ({ subject: `Certificate issued – ${o.id}`, body: 'Your new qualified certificate has been issued.' }),
  },
};

/** Renders for the order's locale and queues it. */
export async function queueNotification(db: Kysely<RenewalDatabase>, order: Order, kind: NotificationKind, now = new Date()): Promise<void> {
  const locale = order.locale === 'sl' || order.locale === 'sr-Latn' || order.locale === 'sr-Cyrl' ? order.locale : 'en';
  const amount = `${(order.gross / 100).toFixed(2).replace('.', ',')} ${order.currency}`;
  const { subject, body } = templates[locale][kind](order, amount);
  await db
    .insertInto('renewal_notifications')
    .values({ order_id: order.id, kind, locale, to_address: order.email, subject, body, created_at: now.toISOString(), sent_at: null })
    .execute();
}

/** Unsent notifications, oldest first. */
export async function pendingNotifications(db: Kysely<RenewalDatabase>, limit = 100) {
  return db.selectFrom('renewal_notifications').selectAll().where('sent_at', 'is', null).orderBy('id').limit(limit).execute();
}

/** Marks notifications sent. */
export async function markNotificationsSent(db: Kysely<RenewalDatabase>, ids: number[], now = new Date()): Promise<void> {
  if (ids.length > 0) await db.updateTable('renewal_notifications').set({ sent_at: now.toISOString() }).where('id', 'in', ids).execute();
}
