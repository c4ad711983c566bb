/**
 * An error in the holder's words with its code in small print (helpdesk staff ask for it), announced to
 * screen readers as an alert. `children` add lines after the message; `actions` come last.
 */
import type { ReactNode } from 'react';
import { useFocusOnShow } from '../hooks/use-focus-on-show.js';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../src-shared/contract/index.js';

/** `focus`: the error is a step's outcome, so focus moves to it when it appears (and to a new error after it). */
export function ErrorAlert(props: { error: AppError; title?: string; testId?: string; children?: ReactNode; actions?: ReactNode; focus?: boolean }) {
  const { t } = useTranslation();
  const { error } = props;
  const ref = useFocusOnShow<HTMLDivElement>(props.focus === true, error);
  return (
    <div ref={ref} tabIndex={props.focus ? -1 : undefined} className="panel panel--error" role="alert" data-testid={props.testId} data-code={props.testId ? error.code : undefined}>
      {props.title && <h2 className="panel__title">{props.title}</h2>}
      <p>{t(`errors.${error.code}`, { defaultValue: t('errorFallback') })}</p>
      {props.children}
      <p className="error-code">{t('cards.errorCode', { code: error.code })}</p>
      {props.actions}
    </div>
  );
}
