/**
 * Submit: the certificate data to confirm, billing checked as the holder types, the PIN, and one button
 * that has main sign the typed order document on the card. Nothing typed is lost when sending fails.
 * On a reader with a PIN pad the PIN is typed on the reader (typing it here stays one click away).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../error-alert.js';
import type { AppError, CertificateRef, Locale, ObnovaApi, OrderPreparation, StoredOrder } from '../../../../src-shared/contract/index.js';
import { type BillingField, billingOf, billingProblems, emptyBillingForm, type BillingForm } from '../../model/renewal-billing.js';
import { useCardPin } from '../../hooks/use-card-pin.js';
import { cancelledOnReader, PadCancelled, PinEntrySwitch } from './pad-entry.js';
import { pinBlocked, RenewalPinEntry, renewalPinOf } from './renewal-pin-entry.js';
import { ConfirmationData } from './confirmation-data.js';
import { CountryField, countryChoices } from './country-field.js';
import { TextField } from './text-field.js';

type Phase = { phase: 'preparing' } | { phase: 'ready'; prep: OrderPreparation } | { phase: 'signing'; prep: OrderPreparation } | { phase: 'error'; error: AppError; prep: OrderPreparation | null };

/** `onOrdered(null)`: the holder goes to My orders to follow an order still being sent. */
export function SubmitForm({ api, locale, certificate, onOrdered, onUnblockPin }: { api: ObnovaApi; locale: Locale; certificate: CertificateRef; onOrdered: (order: StoredOrder | null) => void; onUnblockPin: (slotId: string) => void }) {
  const { t } = useTranslation();
  const [state, setState] = useState<Phase>({ phase: 'preparing' });
  const [form, setForm] = useState<BillingForm>(() => emptyBillingForm(null, null, null));
  const [touched, setTouched] = useState<Partial<Record<BillingField, boolean>>>({});
  const [confirmed, setConfirmed] = useState(false);
  const [pin, setPin] = useState('');
  const [submitted, setSubmitted] = useState(false);
  /** The signature went out but no answer came back: the order is in the app's outbox, being sent again. */
  const [kept, setKept] = useState(false);
  const card = useCardPin(api, { slotId: certificate.slotId });
  /** On a PIN-pad reader: the holder chose to type the PIN on screen after all. */
  const [typeHere, setTypeHere] = useState(false);
  const onPad = card.readerPad && !typeHere;

  // Strings, not the object, drive the preparation: the parent builds a new object on every render (a
  // language switch, say), and a new preparation would drop the error shown and the nonce being signed.
  const { slotId, objectId, fingerprintSha256 } = certificate;
  useEffect(() => {
    let live = true;
    void api.prepareOrder({ slotId, objectId, fingerprintSha256 }).then((result) => {
      if (!live) return;
      if (!result.ok) return setState({ phase: 'error', error: result.error, prep: null });
      const h = result.value.holder;
      setForm((f) => ({ ...f, name: f.name || [h.givenName, h.surname].filter(Boolean).join(' ') || h.commonName || '', country: f.country || h.country || countryChoices(result.value.market, null)[0]!, email: f.email || h.email || '' }));
      setState({ phase: 'ready', prep: result.value });
    });
    return () => {
      live = false;
    };
  }, [api, slotId, objectId, fingerprintSha256]);

  const problems = billingProblems(form);
  const problemOf = (field: BillingField): string | null => (touched[field] || submitted) && problems[field] ? t(`renewalSubmit.invalid.${problems[field]}`) : null;
  const set = (field: BillingField) => (value: string) => {
    setForm((f) => ({ ...f, [field]: value }));
    setTouched((v) => ({ ...v, [field]: true }));
  };
  const prep = state.phase === 'preparing' ? null : state.prep;

  const submit = (formElement: HTMLFormElement): void => {
    setSubmitted(true);
    const billing = billingOf(form);
    const credential = renewalPinOf(card.info, onPad, pin);
    if (!prep || !billing || !confirmed || !credential) {
      // Focus the first field that needs attention once its problem is rendered, so it is announced with it.
      requestAnimationFrame(() => formElement.querySelector<HTMLElement>('[aria-invalid="true"], [aria-describedby="confirm-needed"]')?.focus());
      return;
    }
    setState({ phase: 'signing', prep });
    setKept(false);
    const document = { type: 'obnova.renewal-order' as const, version: 1 as const, market: prep.market, nonce: prep.nonce, certificateSerial: prep.certificateSerial, billing: billing.billing, email: billing.email, locale };
    void api.placeOrder({ certificate, document, pin: credential }).then((result) => {
      setPin('');
      if (result.ok) onOrdered(result.value);
      else {
        setState({ phase: 'error', error: result.error, prep });
        void api.listOrders({}).then((list) => setKept(list.ok && list.value.sending.some((e) => e.certificate.fingerprintSha256 === fingerprintSha256)));
        // Tries left or the sitting may have changed: show the card's PIN state as it is now.
        card.refresh();
      }
    });
  };

  if (state.phase === 'preparing') return <p className="status" role="status">{t('renewal.checking')}</p>;
  if (!prep) {
    return (
      <div className="panel panel--error" role="alert" data-testid="submit-error" data-code={state.phase === 'error' ? state.error.code : ''}>
        {state.phase === 'error' && <p>{t(`errors.${state.error.code}`, { defaultValue: t('errorFallback') })}</p>}
      </div>
    );
  }
  const h = prep.holder;
  return (
    <form
      className="submit-form"
      data-testid="submit-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit(e.currentTarget);
      }}
    >
      <h2>{t('renewalSubmit.heading')}</h2>
      <fieldset className="field">
        <legend className="field__label">{t('renewalSubmit.confirmHeading')}</legend>
        <ConfirmationData holder={h} locale={locale} />
        <label className="choice">
          <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} data-testid="submit-confirm" aria-describedby={submitted && !confirmed ? 'confirm-needed' : undefined} />
          {t('renewalSubmit.confirm')}
        </label>
        {submitted && !confirmed && (
          <p id="confirm-needed" className="field__problem" role="alert">
            {t('renewalSubmit.confirmNeeded')}
          </p>
        )}
      </fieldset>
      <fieldset className="field">
        <legend className="field__label">{t('renewalSubmit.buyer')}</legend>
        {(['person', 'company'] as const).map((b) => (
          <label key={b} className="choice">
            <input type="radio" name="buyer" value={b} checked={form.buyer === b} onChange={() => setForm((f) => ({ ...f, buyer: b }))} data-testid={`submit-buyer-${b}`} />
            {t(`renewalSubmit.${b}`)}
          </label>
        ))}
      </fieldset>
      <TextField label={t(form.buyer === 'company' ? 'renewalSubmit.companyName' : 'renewalSubmit.name')} value={form.name} onChange={set('name')} problem={problemOf('name')} autoComplete="name" testId="billing-name" />
      <TextField label={t('renewalSubmit.street')} value={form.street} onChange={set('street')} problem={problemOf('street')} autoComplete="street-address" testId="billing-street" />
      <TextField label={t('renewalSubmit.postalCode')} value={form.postalCode} onChange={set('postalCode')} problem={problemOf('postalCode')} autoComplete="postal-code" testId="billing-postal-code" />
      <TextField label={t('renewalSubmit.city')} value={form.city} onChange={set('city')} problem={problemOf('city')} autoComplete="address-level2" testId="billing-city" />
      <CountryField label={t('renewalSubmit.country')} value={form.country} choices={countryChoices(prep.market, h.country)} locale={locale} onChange={set('country')} testId="billing-country" />
      {form.buyer === 'company' && <TextField label={t('renewalSubmit.vatId')} value={form.vatId} onChange={set('vatId')} problem={problemOf('vatId')} testId="billing-vat" />}
      <TextField label={t('renewalSubmit.email')} type="email" value={form.email} onChange={set('email')} problem={problemOf('email')} autoComplete="email" testId="billing-email" />
      <RenewalPinEntry
        info={card.info}
        onPad={onPad}
        pin={pin}
        onPin={setPin}
        problem={submitted && !pin ? t('renewalSubmit.invalid.required') : null}
        hint={t('renewalSubmit.pinHint')}
        padNote={t('renewalPad.signNote')}
        testId="submit"
        onUnblock={onUnblockPin}
      />
      <p className="status" role="status" aria-live="polite" data-testid="submit-status">
        {state.phase === 'signing' ? t(onPad ? 'renewalPad.signWaiting' : 'renewalSubmit.signing') : submitted && Object.keys(problems).length > 0 ? t('renewalSubmit.fixErrors') : ''}
      </p>
      {state.phase === 'error' &&
        (cancelledOnReader(state.error) ? <PadCancelled text={t('renewalPad.signCancelled')} testId="submit-pad-cancelled" /> : <ErrorAlert error={state.error} testId="submit-error" focus />)}
      {state.phase === 'error' && kept && (
        <div className="notice notice--warning" data-testid="submit-kept">
          <p>{t('renewalSending.kept')}</p>
          <button type="button" className="button" onClick={() => onOrdered(null)} data-testid="submit-show-orders">
            {t('renewalSending.showOrders')}
          </button>
        </div>
      )}
      <button type="submit" className="button button--primary" disabled={state.phase === 'signing' || kept || pinBlocked(card.info)} data-testid="submit-sign">
        {t(onPad ? 'renewalPad.sign' : 'renewalSubmit.sign')}
      </button>
      {card.readerPad && <PinEntrySwitch onPad={onPad} disabled={state.phase === 'signing'} onToggle={() => setTypeHere((v) => !v)} testId="submit-pin-entry" />}
    </form>
  );
}
