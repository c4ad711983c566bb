/**
 * The renewal's five steps in a row, the current one marked for assistive tech (aria-current="step") and
 * in words and shape (not colour alone); the steps before it say they are done.
 */
import { useTranslation } from 'react-i18next';
import { renewalSteps, type RenewalStep } from '../../model/renewal-step.js';

export function StepIndicator({ current }: { current: RenewalStep }) {
  const { t } = useTranslation();
  const at = renewalSteps.indexOf(current);
  return (
    <nav className="step-indicator" aria-label={t('steps.label')} data-testid="step-indicator" data-current={current}>
      <ol className="step-indicator__list">
        {renewalSteps.map((step, index) => {
          const state = index < at ? 'done' : index === at ? 'current' : 'next';
          return (
            <li key={step} className={`step-indicator__step step-indicator__step--${state}`} aria-current={state === 'current' ? 'step' : undefined} data-step={step}>
              <span className="step-indicator__mark" aria-hidden="true">
                {state === 'done' ? '✓' : index + 1}
              </span>
              <span className="step-indicator__name">{t(`steps.${step}`)}</span>
              {state === 'done' && <span className="visually-hidden"> ({t('steps.done')})</span>}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
