import { describe, expect, it } from 'vitest';
import { pageText, pdfParsing, previewSize, stepPage } from '../../../src-renderer/src/model/invoice-preview.js';

describe('previewSize', () => {
  it('keeps the A4 proportions at the asked CSS width and draws in device pixels', () => {
    const size = previewSize(595.28, 841.89, 640, 2);
    expect(size.cssWidth).toBe(640);
    expect(size.cssHeight).toBe(905);
    expect(size.width).toBe(1280);
    expect(size.height).toBe(1810);
    expect(size.scale).toBeCloseTo((640 / 595.28) * 2, 6);
  });

  it('treats a missing or nonsensical pixel ratio as 1', () => {
    for (const ratio of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const size = previewSize(595.28, 841.89, 500, ratio);
      expect(size.width, String(ratio)).toBe(500);
      expect(size.scale).toBeCloseTo(500 / 595.28, 6);
    }
  });
});

describe('stepPage', () => {
  it('turns pages within the document and stops at its ends', () => {
    expect(stepPage(1, 1, 3)).toBe(2);
    expect(stepPage(3, 1, 3)).toBe(3);
    expect(stepPage(1, -1, 3)).toBe(1);
    expect(stepPage(1, 1, 0)).toBe(1);
  });
});

describe('pageText', () => {
  it('joins text items into lines where the PDF ends them and drops marked-content items', () => {
    const items = [{ str: 'PREDRAČUN 2026-000123', hasEOL: true }, {}, { str: 'Referenca:' }, { str: '  SI12   2026000123 ', hasEOL: true }, { str: '' }, { str: 'Za plačilo' }];
    expect(pageText(items)).toBe('PREDRAČUN 2026-000123\nReferenca: SI12 2026000123\nZa plačilo');
  });

  it('is empty for a page without text', () => {
    expect(pageText([])).toBe('');
    expect(pageText([{}, { str: ' ', hasEOL: true }])).toBe('');
  });
});

describe('pdfParsing', () => {
  it("parses in a worker where the page has an origin, in the page under file:// (pdf.js would need a blob: worker the CSP refuses)", () => {
    expect(pdfParsing('http:')).toBe('worker');
    expect(pdfParsing('https:')).toBe('worker');
    expect(pdfParsing('file:')).toBe('page');
  });
});
