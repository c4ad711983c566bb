/**
 * An error in the holder's words with its code in small print (helpdesk staff ask for it), announced to
 * screen readers as an alert. `children` add lines after the message; `actions` come last.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../src-shared/contract/index.js';

export function ErrorAlert(props: { error: AppError; title?: string; testId?: string; children?: ReactNode; actions?: ReactNode }) {
  const { t } = useTranslation();
  const { error } = props;
  return (
    <div className="panel panel--error" role="alert" data-testid={props.testId} data-code={props.testId ? error.code : undefined}>
      {props.title && <h2 className="panel__title">{props.title}</h2>}
      <p>{t(`errors.${error.code}`, { defaultValue: t('errorFallback') })}</p>
      {props.children}
      <p className="error-code">{t('cards.errorCode', { code: error.code })}</p>
      {props.actions}
    </div>
  );
}
