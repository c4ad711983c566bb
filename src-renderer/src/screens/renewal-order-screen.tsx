/**
 * Order, step 1 of the renewal: pick the certificate (preselected), check it here and at the issuer,
 * and show the checklist with the days to expiry up front.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import '../components/renewal/renewal.css';
import '../components/renewal/finish.css';
import { StepIndicator } from '../components/renewal/step-indicator.js';
import { ServiceWaitBanner } from '../components/renewal/service-wait-banner.js';
import type { AppError, EligibilityView, ObnovaApi, StoredOrder } from '../../../src-shared/contract/index.js';
import { formatDate, intlTags, type Locale } from '../../../src-shared/i18n/core.js';
import { CertificatePicker } from '../components/renewal/certificate-picker.js';
import { ErrorAlert } from '../components/error-alert.js';
import { Checklist } from '../components/renewal/checklist.js';
import { SubmitForm } from '../components/renewal/submit-form.js';
import { useCertificateChoice } from '../hooks/use-certificate-choice.js';
import { formatMoney } from '../model/renewal-certificates.js';
import { ScreenHead } from '../components/screen-head.js';
import { useFocusOnShow } from '../hooks/use-focus-on-show.js';

/** `key` names the certificate the state is about; a state for another certificate is not shown. */
type CheckState = { phase: 'idle' } | { phase: 'checking'; key: string } | { phase: 'done'; key: string; view: EligibilityView } | { phase: 'error'; key: string; error: AppError };

function DaysToExpiry({ view, locale }: { view: EligibilityView; locale: Locale }) {
  const { t } = useTranslation();
  const days = view.certificate.daysToExpiry;
  const text = days < 0 ? t('certificate.state.expiredAgo', { count: -days }) : days === 0 ? t('certificate.state.expiresToday') : t('certificate.state.expiresIn', { count: days });
  return (
    <div className="days-to-expiry" data-testid="days-to-expiry" data-days={days}>
      <p className="days-to-expiry__value">{text}</p>
      <p className="days-to-expiry__date">{t('renewal.validUntil', { date: formatDate(view.certificate.notAfter, locale) })}</p>
    </div>
  );
}

/** The check's result: focus lands here when it arrives, so the holder hears the verdict first. */
function Verdict({ view, locale }: { view: EligibilityView; locale: Locale }) {
  const { t } = useTranslation();
  const ref = useFocusOnShow<HTMLDivElement>(true, view);
  const undecided = view.checks.some((c) => c.status === 'unknown') && !view.checks.some((c) => c.status === 'fail');
  const headline = view.eligible ? t('renewal.eligible') : undecided ? t('renewal.undecided') : t('renewal.notEligible');
  const tooEarly = view.checks.some((c) => c.id === 'renewal-window' && c.status === 'fail');
  return (
    <div ref={ref} tabIndex={-1} className={view.eligible ? 'panel' : 'panel panel--error'} data-testid="renewal-verdict" data-eligible={view.eligible} data-path={view.path ?? ''}>
      <h2 className="panel__title">{headline}</h2>
      {view.path && <p>{t(`renewal.path.${view.path}`)}</p>}
      {view.eligible && view.price && view.currency && <p>{t('renewal.price', { amount: formatMoney(view.price.gross, view.currency, intlTags[locale]) })}</p>}
      {tooEarly && view.windowOpensAt && <p>{t('renewal.windowOpens', { date: formatDate(view.windowOpensAt, locale) })}</p>}
      {view.steps.length > 0 && (
        <>
          <h3>{t('renewal.steps')}</h3>
          <ol data-testid="renewal-steps">
            {view.steps.map((step) => (
              <li key={step}>{t(`renewal.step.${step}`, { defaultValue: step })}</li>
            ))}
          </ol>
        </>
      )}
      {view.serviceProblem && (
        <p className="notice notice--warning" data-testid="service-problem" data-code={view.serviceProblem.code}>
          {t('renewal.serviceProblem')} {t(`errors.${view.serviceProblem.code}`, { defaultValue: t('errorFallback') })}
        </p>
      )}
    </div>
  );
}

export function RenewalOrderScreen({ api, locale, onOrdered, onUnblockPin }: { api: ObnovaApi; locale: Locale; onOrdered: (order: StoredOrder | null) => void; onUnblockPin: (slotId: string) => void }) {
  const { t } = useTranslation();
  const statusId = useId();
  const { cards, options, selectedKey, selected, choose } = useCertificateChoice(api);
  const [check, setCheck] = useState<CheckState>({ phase: 'idle' });
  /** The certificate key the holder chose to order for (the Submit step is open). */
  const [ordering, setOrdering] = useState<string | null>(null);

  // A different certificate means a different checklist: what was found for the other one is not shown.
  const current: CheckState = check.phase !== 'idle' && check.key === selectedKey ? check : { phase: 'idle' };

  const runCheck = (): void => {
    if (!selected || !selectedKey) return;
    const key = selectedKey;
    setCheck({ phase: 'checking', key });
    api
      .checkRenewal({ slotId: selected.slotId, objectId: selected.objectId, fingerprintSha256: selected.fingerprintSha256 })
      .then((result) => setCheck(result.ok ? { phase: 'done', key, view: result.value } : { phase: 'error', key, error: result.error }))
      .catch(() => setCheck({ phase: 'error', key, error: { code: 'INTERNAL', message: 'renewal.check failed' } }));
  };

  const status = current.phase === 'checking' ? t('renewal.checking') : current.phase === 'done' ? t('renewal.checked') : '';
  return (
    <>
      <ScreenHead title={t('renewal.heading')} intro={t('renewal.intro')} />
      <StepIndicator current={current.phase === 'done' && ordering === current.key ? 'submit' : 'order'} />
      {cards.phase === 'ready' && options.length === 0 && <p className="notice">{t('renewal.noCertificates')}</p>}
      {options.length > 0 && (
        <form
          className="renewal-form"
          onSubmit={(e) => {
            e.preventDefault();
            runCheck();
          }}
        >
          <CertificatePicker options={options} value={selectedKey} onChange={choose} locale={locale} label={t('renewal.certificate')} />
          <button type="submit" className="button button--primary" disabled={current.phase === 'checking'} aria-describedby={statusId} data-testid="renewal-check">
            {t('renewal.check')}
          </button>
        </form>
      )}
      <p id={statusId} className="status" role="status" aria-live="polite">
        {status}
      </p>
      <ServiceWaitBanner api={api} locale={locale} />
      {current.phase === 'error' && (
        <ErrorAlert error={current.error} testId="renewal-error" focus />
      )}
      {current.phase === 'done' && (
        <section aria-label={t('renewal.checklist')} data-testid="renewal-result">
          <DaysToExpiry view={current.view} locale={locale} />
          <Checklist checks={current.view.checks} />
          <Verdict view={current.view} locale={locale} />
          {current.view.eligible && ordering !== current.key && (
            <button type="button" className="button button--primary" onClick={() => setOrdering(current.key)} data-testid="renewal-continue">
              {t('renewalSubmit.continue')}
            </button>
          )}
          {current.view.eligible && ordering === current.key && selected && (
            <SubmitForm api={api} locale={locale} certificate={{ slotId: selected.slotId, objectId: selected.objectId, fingerprintSha256: selected.fingerprintSha256 }} onOrdered={onOrdered} onUnblockPin={onUnblockPin} />
          )}
        </section>
      )}
    </>
  );
}
