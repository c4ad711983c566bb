import { describe, expect, it } from 'vitest';
import { SseParser } from '../../../src-renderer/src/bridge/sse-parser.js';

describe('SseParser', () => {
  it('reads the bridge’s messages and skips comments', () => {
    const parser = new SseParser();
    expect(parser.push(': connected\n\nevent: tokens.changed\ndata: {"at":"2026-11-25T12:00:00.000Z"}\n\n')).toEqual([
      { event: 'tokens.changed', data: '{"at":"2026-11-25T12:00:00.000Z"}' },
    ]);
  });

  it('handles lines and CRLF pairs split across chunks', () => {
    const parser = new SseParser();
    const text = 'event: a\r\ndata: 1\r\n\r\nevent: b\r\ndata: 2\r\n\r\n';
    const messages = [...text].flatMap((ch) => parser.push(ch));
    expect(messages).toEqual([
      { event: 'a', data: '1' },
      { event: 'b', data: '2' },
    ]);
  });

  it('joins data lines, defaults the event name, and keeps a value without the optional space', () => {
    const parser = new SseParser();
    expect(parser.push('data:x\ndata: y\n\n')).toEqual([{ event: 'message', data: 'x\ny' }]);
  });

  it('drops an event name with no data and resets between messages', () => {
    const parser = new SseParser();
    expect(parser.push('event: lonely\n\ndata: z\n\n')).toEqual([{ event: 'message', data: 'z' }]);
  });
});
