/** Saving a certificate from a card in one format (a download; Electron asks where), with the state and status line the screen shows. */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError, ExportFormatName, ObnovaApi } from '../../../src-shared/contract/index.js';
import type { Locale } from '../../../src-shared/i18n/core.js';
import { downloadFile } from '../model/renewal-download.js';

export type ExportState = { phase: 'idle' } | { phase: 'saving'; format: ExportFormatName } | { phase: 'saved'; fileName: string } | { phase: 'error'; error: AppError };

/** The export formats, the printable data sheet first: it is what a bank clerk or a portal's form usually wants. */
export const exportFormats: readonly ExportFormatName[] = ['pdf', 'der', 'pem', 'p7b'];

export interface CertificateOnCard {
  slotId: string;
  objectId: string;
  fingerprintSha256: string;
}

export function useCertificateExport(api: ObnovaApi, locale: Locale) {
  const { t } = useTranslation();
  const [state, setState] = useState<ExportState>({ phase: 'idle' });
  const save = useCallback(
    (certificate: CertificateOnCard, format: ExportFormatName): void => {
      setState({ phase: 'saving', format });
      api
        .exportCertificate({ slotId: certificate.slotId, objectId: certificate.objectId, fingerprintSha256: certificate.fingerprintSha256, format, locale })
        .then((result) => {
          if (!result.ok) return setState({ phase: 'error', error: result.error });
          downloadFile(result.value.fileName, result.value.mimeType, result.value.base64);
          setState({ phase: 'saved', fileName: result.value.fileName });
        })
        .catch(() => setState({ phase: 'error', error: { code: 'INTERNAL', message: 'export failed' } }));
    },
    [api, locale],
  );
  const status = state.phase === 'saving' ? t('export.saving') : state.phase === 'saved' ? t('export.saved', { fileName: state.fileName }) : '';
  return { state, save, status };
}
