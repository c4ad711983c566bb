/**
 * The pro-forma invoice shown in the window: the PDF the service issued, drawn page by page on a canvas by
 * pdf.js (loaded on first use), behind a Show/Hide button. The canvas is an image named for the invoice and
 * described by the page's text, so a screen reader reads what the picture shows.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ObnovaApi } from '../../../../src-shared/contract/index.js';
import { base64Bytes } from '../../model/renewal-download.js';
import { stepPage } from '../../model/invoice-preview.js';
import type { OpenedPdf } from '../../model/pdf-render.js';

type View =
  | { phase: 'closed' }
  | { phase: 'loading' }
  | { phase: 'shown'; pdf: OpenedPdf; page: number; text: string }
  | { phase: 'failed'; message: string };

/** Widest the page is drawn, in CSS pixels: an A4 page stays readable and the order card stays a card. */
const maxWidth = 640;

export function InvoicePreview({ api, orderId, invoiceNumber }: { api: ObnovaApi; orderId: string; invoiceNumber: string }) {
  const { t } = useTranslation();
  const [view, setView] = useState<View>({ phase: 'closed' });
  const [drawnPage, setDrawnPage] = useState(0);
  const canvas = useRef<HTMLCanvasElement>(null);
  const frame = useRef<HTMLDivElement>(null);
  // The open document (closed on hide and unmount) and which opening is current, so a late load is dropped.
  const opened = useRef<OpenedPdf | null>(null);
  const generation = useRef(0);
  const regionId = useId();
  const textId = useId();

  const closePdf = (): void => {
    generation.current++;
    void opened.current?.close();
    opened.current = null;
  };
  useEffect(() => closePdf, []);

  const show = async (pdf: OpenedPdf, page: number, mine: number): Promise<void> => {
    const text = await pdf.text(page);
    if (mine === generation.current) setView({ phase: 'shown', pdf, page, text });
  };

  const open = async (mine: number): Promise<void> => {
    const invoice = await api.getInvoice({ orderId });
    if (mine !== generation.current) return;
    if (!invoice.ok) {
      setView({ phase: 'failed', message: t(`errors.${invoice.error.code}`, { defaultValue: t('errorFallback') }) });
      return;
    }
    try {
      const { openPdf } = await import('../../model/pdf-render.js');
      const pdf = await openPdf(base64Bytes(invoice.value.base64));
      if (mine !== generation.current) return void pdf.close();
      opened.current = pdf;
      await show(pdf, 1, mine);
    } catch {
      if (mine === generation.current) setView({ phase: 'failed', message: t('renewalTrack.previewFailed') });
    }
  };

  const toggle = (): void => {
    closePdf();
    setDrawnPage(0);
    if (view.phase !== 'closed') {
      setView({ phase: 'closed' });
      return;
    }
    setView({ phase: 'loading' });
    void open(generation.current);
  };

  const turn = (delta: number): void => {
    if (view.phase !== 'shown') return;
    const page = stepPage(view.page, delta, view.pdf.pages);
    if (page !== view.page) void show(view.pdf, page, generation.current);
  };

  // Draws the shown page once its canvas is in the document; the frame's width decides the drawing's.
  const shownPdf = view.phase === 'shown' ? view.pdf : null;
  const shownPage = view.phase === 'shown' ? view.page : 0;
  useEffect(() => {
    if (!shownPdf || !canvas.current) return;
    let live = true;
    const width = Math.min(frame.current?.clientWidth || maxWidth, maxWidth);
    shownPdf.draw(shownPage, canvas.current, width).then(
      () => live && setDrawnPage(shownPage),
      () => live && setView({ phase: 'failed', message: t('renewalTrack.previewFailed') }),
    );
    return () => {
      live = false;
    };
  }, [shownPdf, shownPage, t]);

  return (
    <div className="invoice-preview" data-testid="invoice-preview">
      <button type="button" className="button" aria-expanded={view.phase !== 'closed'} aria-controls={regionId} onClick={toggle} data-testid="invoice-preview-toggle">
        {t(view.phase === 'closed' ? 'renewalTrack.showInvoice' : 'renewalTrack.hideInvoice')}
      </button>
      <div id={regionId} className="invoice-preview__frame" ref={frame} hidden={view.phase === 'closed'}>
        {view.phase === 'loading' && <p role="status">{t('renewalTrack.previewLoading')}</p>}
        {view.phase === 'failed' && (
          <p role="alert" className="notice" data-testid="invoice-preview-failed">
            {view.message}
          </p>
        )}
        {view.phase === 'shown' && (
          <>
            <canvas
              ref={canvas}
              className="invoice-preview__page"
              role="img"
              aria-label={t('renewalTrack.previewLabel', { number: invoiceNumber, page: view.page, pages: view.pdf.pages })}
              aria-describedby={textId}
              data-testid="invoice-preview-page"
              data-drawn={drawnPage === view.page ? 'true' : 'false'}
            />
            <p id={textId} hidden data-testid="invoice-preview-text">
              {view.text}
            </p>
            {view.pdf.pages > 1 && (
              <p className="invoice-preview__pages">
                <button type="button" className="button" onClick={() => turn(-1)} disabled={view.page === 1}>
                  {t('renewalTrack.previousPage')}
                </button>
                <span>{t('renewalTrack.pageOf', { page: view.page, pages: view.pdf.pages })}</span>
                <button type="button" className="button" onClick={() => turn(1)} disabled={view.page === view.pdf.pages}>
                  {t('renewalTrack.nextPage')}
                </button>
              </p>
            )}
          </>
        )}
      </div>
    </div>
  );
}
