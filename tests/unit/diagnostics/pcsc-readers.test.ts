/** opensc-tool output parsing, on output recorded from OpenSC 0.23 (Debian 12) and the forms its source prints. */
import { describe, expect, it } from 'vitest';
import { parseOpenscAtr, parseOpenscReaderList, scanPcscReaders, type RunTool } from '../../../src-main/diagnostics/pcsc-readers.js';

// Recorded: `opensc-tool -l` with pcscd + vsmartcard's vpcd, the virtual card in reader 0.
const recordedList = `# Detected readers (pcsc)
Nr.  Card  Features  Name
0    Yes             Virtual PCD 00 00
1    No              Virtual PCD 00 01
`;
// The same shape with a PIN pad reader (OpenSC prints the feature between the card column and the name).
const pinPadList = `# Detected readers (pcsc)
Nr.  Card  Features  Name
0    Yes   PIN pad   REINER SCT cyberJack RFID standard (1234567890) 00 00
1    ?               Broken Reader 01 00
`;

describe('opensc-tool output', () => {
  it('reads the reader list, with or without features', () => {
    expect(parseOpenscReaderList(recordedList)).toEqual([
      { index: 0, name: 'Virtual PCD 00 00', cardPresent: true },
      { index: 1, name: 'Virtual PCD 00 01', cardPresent: false },
    ]);
    expect(parseOpenscReaderList(pinPadList)).toEqual([
      { index: 0, name: 'REINER SCT cyberJack RFID standard (1234567890) 00 00', cardPresent: true },
      { index: 1, name: 'Broken Reader 01 00', cardPresent: false },
    ]);
    expect(parseOpenscReaderList('No smart card readers found.\n')).toEqual([]);
  });

  it('reads the ATR line as upper-case hex with colons', () => {
    expect(parseOpenscAtr('3b:95:13:81:01:80:73:ff:01:00:0b\n')).toBe('3B:95:13:81:01:80:73:FF:01:00:0B');
    expect(parseOpenscAtr('Using reader with a card: X\n3b:d5:18:00:81:31:fe:7d:80:73:c8:21:10:f4\n')).toBe('3B:D5:18:00:81:31:FE:7D:80:73:C8:21:10:F4');
    expect(parseOpenscAtr('Failed to connect to reader: Card not present\n')).toBeNull();
  });

  it('asks for the ATR only of readers with a card, and says when opensc-tool is missing', async () => {
    const calls: string[] = [];
    const run: RunTool = async (_file, args) => {
      calls.push(args.join(' '));
      return { stdout: args[0] === '-l' ? recordedList : '3b:95:13:81:01:80:73:ff:01:00:0b\n', code: 0 };
    };
    const scan = await scanPcscReaders({ run, platform: 'win32' });
    expect(calls).toEqual(['-l', '-r 0 -a']);
    expect(scan).toEqual({ tool: 'opensc-tool', serviceAvailable: true, readers: [{ name: 'Virtual PCD 00 00', atr: '3B:95:13:81:01:80:73:FF:01:00:0B' }, { name: 'Virtual PCD 00 01', atr: null }] });
    expect(await scanPcscReaders({ run: async () => null, platform: 'win32' })).toEqual({ tool: null, serviceAvailable: true, readers: [] });
  });
});
