/** "Saved" with the file's path in a field to select or copy (the helpdesk asks for it on the phone). */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

export function SavedPath({ path }: { path: string }) {
  const { t } = useTranslation();
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  const copy = (): void => {
    field.current?.select();
    // The clipboard may be refused (no permission): the path stays selected for Ctrl+C.
    void navigator.clipboard
      ?.writeText(path)
      .then(() => setCopied(true))
      .catch(() => setCopied(false));
  };
  return (
    <div className="saved-path notice notice--ok" role="status" data-testid="bundle-saved" data-path={path}>
      <p className="saved-path__message">{t('helpdesk.bundleSaved')}</p>
      <div className="saved-path__row">
        <input ref={field} className="saved-path__field mono" readOnly value={path} aria-label={t('helpdesk.bundlePath')} onFocus={(e) => e.currentTarget.select()} data-testid="bundle-path" />
        <button type="button" className="button" onClick={copy} data-testid="bundle-copy">
          {t('helpdesk.copy')}
        </button>
      </div>
      {copied && <p className="saved-path__copied">{t('helpdesk.copied')}</p>}
    </div>
  );
}
