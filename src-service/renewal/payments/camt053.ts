/**
 * Reads an ISO 20022 camt.053 (BankToCustomerStatement) with an XML parser: the credit entries
 * with amount, currency, booking date and the creditor reference (RmtInf/Strd/CdtrRefInf/Ref).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ObnovaError } from '../../../src-shared/contract/errors.js';

export interface StatementCredit {
  /** Stable across re-imports: statement id, entry reference, transaction index. */
  key: string;
  /** Minor units. */
  amount: number;
  currency: string;
  bookedAt: string | null;
  /** Structured creditor reference, or null when the payer gave none. */
  reference: string | null;
  /** Unstructured remittance text, for the operator's report only (never used to match). */
  text: string | null;
}

type Node = Record<string, unknown>;

const listTags = new Set(['Stmt', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'Strd']);

function asNode(v: unknown): Node | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : undefined;
}

function list(v: unknown): Node[] {
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(asNode).filter((n): n is Node => !!n);
}

function text(v: unknown): string | null {
  if (typeof v === 'string' || typeof v === 'number') return String(v).trim();
  const n = asNode(v);
  if (n && '#text' in n) return String(n['#text']).trim();
  return null;
}

/** "61.00" → 6100; refuses more than two decimals rather than rounding money. */
export function parseAmount(value: string): number {
  const m = /^([0-9]{1,15})(?:\.([0-9]{1,2}))?$/.exec(value);
  if (!m) throw new ObnovaError('PAYMENT_STATEMENT_INVALID', `amount "${value}" is not a decimal with at most two places`);
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

/** Parses the XML; every credit (CRDT) booked entry becomes one or more StatementCredit. */
export function readCamt053(xml: string): { statementIds: string[]; credits: StatementCredit[]; debits: number } {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new ObnovaError('PAYMENT_STATEMENT_INVALID', `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseTagValue: false, isArray: (name) => listTags.has(name) });
  const doc = parser.parse(xml) as Node;
  const root = asNode(asNode(doc.Document)?.BkToCstmrStmt);
  if (!root) throw new ObnovaError('PAYMENT_STATEMENT_INVALID', 'no Document/BkToCstmrStmt: not a camt.053 statement');
  const credits: StatementCredit[] = [];
  const statementIds: string[] = [];
  let debits = 0;
  for (const [s, stmt] of list(root.Stmt).entries()) {
    const stmtId = text(stmt.Id) ?? `stmt${s}`;
    statementIds.push(stmtId);
    for (const [e, entry] of list(stmt.Ntry).entries()) {
      if (text(entry.CdtDbtInd) !== 'CRDT') {
        debits++;
        continue;
      }
      const status = text(asNode(entry.Sts)?.Cd) ?? text(entry.Sts);
      if (status && status !== 'BOOK') continue;
      const amt = asNode(entry.Amt);
      const currency = amt ? String(amt['@Ccy'] ?? '') : '';
      const entryAmount = parseAmount(text(entry.Amt) ?? '');
      const entryRef = text(entry.AcctSvcrRef) ?? text(entry.NtryRef) ?? `n${e}`;
      const bookedAt = text(asNode(entry.BookgDt)?.Dt) ?? text(asNode(entry.BookgDt)?.DtTm);
      const txs = list(entry.NtryDtls).flatMap((d) => list(d.TxDtls));
      const items = txs.length > 0 ? txs : [entry];
      for (const [t, tx] of items.entries()) {
        const rmt = asNode(tx.RmtInf);
        const ref = list(rmt?.Strd)
          .map((s2) => text(asNode(s2.CdtrRefInf)?.Ref))
          .find((r): r is string => !!r);
        const txAmount = asNode(asNode(tx.AmtDtls)?.TxAmt)?.Amt ?? tx.Amt;
        const amount = txs.length > 1 && txAmount !== undefined ? parseAmount(text(txAmount) ?? '') : entryAmount;
        credits.push({
          key: `${stmtId}/${entryRef}/${t}`,
          amount,
          currency,
          bookedAt,
          reference: ref ?? null,
          text: (Array.isArray(rmt?.Ustrd) ? (rmt.Ustrd as unknown[]).map(text).join(' ') : text(rmt?.Ustrd)) || null,
        });
      }
    }
  }
  return { statementIds, credits, debits };
}
