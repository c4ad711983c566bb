import { describe, expect, it } from 'vitest';
import { parseAmount, readCamt053 } from '../../../src-service/renewal/payments/camt053.js';
import { type ObnovaError } from '../../../src-shared/contract/errors.js';
import { camt053 } from '../../helpers/renewal/camt053.js';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as ObnovaError).code;
  }
  return 'OK';
}

describe('camt.053 reading', () => {
  it('returns booked credits with amount, currency and the structured reference; skips debits', () => {
    const xml = camt053('S1', 'SI27020100012345678', [
      { amount: 6100, currency: 'EUR', reference: 'SI12 2611 2500 4212' },
      { amount: 1, currency: 'EUR', text: 'brez reference' },
      { amount: 999, currency: 'EUR', debit: true },
    ]);
    const { statementIds, credits, debits } = readCamt053(xml);
    expect(statementIds).toEqual(['S1']);
    expect(debits).toBe(1);
    expect(credits).toEqual([
      { key: 'S1/S1-1/0', amount: 6100, currency: 'EUR', bookedAt: '2026-11-26', reference: 'SI12 2611 2500 4212', text: null },
      { key: 'S1/S1-2/0', amount: 1, currency: 'EUR', bookedAt: '2026-11-26', reference: null, text: 'brez reference' },
    ]);
  });

  it('parses amounts exactly and refuses more than two decimals', () => {
    expect(parseAmount('61.00')).toBe(6100);
    expect(parseAmount('4800.5')).toBe(480050);
    expect(parseAmount('7')).toBe(700);
    expect(code(() => parseAmount('1.005'))).toBe('PAYMENT_STATEMENT_INVALID');
    expect(code(() => parseAmount('-5.00'))).toBe('PAYMENT_STATEMENT_INVALID');
  });

  it('refuses what is not a well-formed camt.053', () => {
    expect(code(() => readCamt053('<Document><BkToCstmrStmt>'))).toBe('PAYMENT_STATEMENT_INVALID');
    expect(code(() => readCamt053('<Document><Other/></Document>'))).toBe('PAYMENT_STATEMENT_INVALID');
  });
});
