/**
 * The card side of vsmartcard's vpcd protocol: a TCP client of the vpcd reader driver inside pcscd.
 * Every message is a 2-byte big-endian length and the payload; a one-byte payload is a control
 * message (0 power off, 1 power on, 2 reset, 4 "send the ATR"), anything longer a command APDU.
 * TCP_NODELAY: without it every answer waits ~40 ms for the peer's delayed ACK.
 */
import { connect, type Socket } from 'node:net';

export interface VirtualCard {
  atr: Buffer;
  reset(): void;
  transmit(apdu: Buffer): Buffer;
}

export interface VpcdLink {
  /** Resolves when vpcd accepted the connection (the reader now has a card). */
  connected: Promise<void>;
  close(): void;
}

function frame(payload: Buffer): Buffer {
  const out = Buffer.alloc(payload.length + 2);
  out.writeUInt16BE(payload.length, 0);
  payload.copy(out, 2);
  return out;
}

/** Connects `card` to vpcd on 127.0.0.1:`port`, retrying until vpcd listens (pcscd loads it lazily). */
export function linkToVpcd(card: VirtualCard, port: number, options: { onApdu?: () => void; retryForMs?: number } = {}): VpcdLink {
  let socket: Socket | null = null;
  let closed = false;
  const deadline = Date.now() + (options.retryForMs ?? 15_000);

  const connected = new Promise<void>((resolve, reject) => {
    const attempt = (): void => {
      if (closed) return reject(new Error('closed before vpcd accepted the card'));
      const s = connect({ host: '127.0.0.1', port, noDelay: true });
      let pending = Buffer.alloc(0);
      s.once('connect', () => {
        s.setNoDelay(true);
        socket = s;
        resolve();
      });
      s.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 2) {
          const length = pending.readUInt16BE(0);
          if (pending.length < 2 + length) break;
          const message = pending.subarray(2, 2 + length);
          pending = pending.subarray(2 + length);
          if (length === 1) {
            const control = message[0];
            if (control === 4) s.write(frame(card.atr));
            else card.reset();
            continue;
          }
          s.write(frame(card.transmit(Buffer.from(message))));
          options.onApdu?.();
        }
      });
      s.once('error', () => {
        s.destroy();
        if (socket === s || closed) return;
        if (Date.now() > deadline) return reject(new Error(`vpcd on port ${port} did not accept the card`));
        setTimeout(attempt, 100);
      });
    };
    attempt();
  });

  return {
    connected,
    close() {
      closed = true;
      socket?.destroy();
    },
  };
}
