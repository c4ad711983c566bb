/** Writes a camt.053.001.02 bank statement for tests: one booked entry per credit, structured creditor reference. */
export interface TestCredit {
  amount: number;
  currency: string;
  reference?: string;
  text?: string;
  debit?: boolean;
}

function money(minor: number): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

/** The XML text. */
export function camt053(statementId: string, iban: string, credits: TestCredit[]): string {
  const entries = credits
    .map(
      (c, i) => `      <Ntry>
        <NtryRef>${i + 1}</NtryRef>
        <Amt Ccy="${c.currency}">${money(c.amount)}</Amt>
        <CdtDbtInd>${c.debit ? 'DBIT' : 'CRDT'}</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2026-11-26</Dt></BookgDt>
        <ValDt><Dt>2026-11-26</Dt></ValDt>
        <AcctSvcrRef>${statementId}-${i + 1}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>E2E${i + 1}</EndToEndId></Refs>
          <RmtInf>${c.text ? `<Ustrd>${c.text}</Ustrd>` : ''}${c.reference ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${c.reference}</Ref></CdtrRefInf></Strd>` : ''}</RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>${statementId}</MsgId><CreDtTm>2026-11-26T08:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>${statementId}</Id>
      <CreDtTm>2026-11-26T08:00:00</CreDtTm>
      <Acct><Id><IBAN>${iban}</IBAN></Id></Acct>
${entries}
    </Stmt>
  </BkToCstmrStmt>
</Document>
`;
}
