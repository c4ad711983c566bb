import { EventEmitter } from 'node:events';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy } from '../../../src-main/bridge/security-headers.js';

type HeadersListener = (
  details: { responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders: Record<string, string[]> }) => void,
) => void;
type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
type PermissionCheckHandler = (contents: unknown, permission: string) => boolean;

// A fake of the parts of electron's app and session that hardenSession touches; it records the handlers.
const fake = vi.hoisted(() => ({
  headers: undefined as HeadersListener | undefined,
  permissionRequest: undefined as PermissionRequestHandler | undefined,
  permissionCheck: undefined as PermissionCheckHandler | undefined,
  app: undefined as EventEmitter | undefined,
}));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  fake.app = new Emitter();
  return {
    app: fake.app,
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (listener: HeadersListener) => void (fake.headers = listener) },
        setPermissionRequestHandler: (handler: PermissionRequestHandler) => void (fake.permissionRequest = handler),
        setPermissionCheckHandler: (handler: PermissionCheckHandler) => void (fake.permissionCheck = handler),
      },
    },
  };
});

/** A web contents that records the navigation listeners and the window-open handler. */
class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
}

function navigationEvent(): { preventDefault: () => void; prevented: boolean } {
  const event = { prevented: false, preventDefault: () => void (event.prevented = true) };
  return event;
}

describe('hardenSession', () => {
  const contents = new FakeContents();

  beforeAll(async () => {
    const { hardenSession } = await import('../../../src-main/shell/harden-session.js');
    hardenSession();
    fake.app?.emit('web-contents-created', {}, contents);
  });

  it('adds the strict CSP header to every response and keeps the other headers', () => {
    let headers: Record<string, string[]> | undefined;
    fake.headers?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, (response) => void (headers = response.responseHeaders));
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [contentSecurityPolicy] });
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).toContain("object-src 'none'");
    expect(contentSecurityPolicy).toContain("frame-ancestors 'none'");
    expect(contentSecurityPolicy).not.toContain('unsafe-inline');
    expect(contentSecurityPolicy).not.toContain('unsafe-eval');
  });

  it('denies every permission request and check', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'hid', 'usb', 'serial', 'clipboard-read', 'openExternal']) {
      const granted = vi.fn();
      fake.permissionRequest?.({}, permission, granted);
      expect(granted).toHaveBeenCalledExactlyOnceWith(false);
      expect(fake.permissionCheck?.({}, permission)).toBe(false);
    }
  });

  it('prevents navigation, redirects and webview attachment in every web contents', () => {
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = navigationEvent();
      contents.emit(name, event, 'https://attacker.example/');
      expect(event.prevented, name).toBe(true);
    }
  });

  it('denies new windows', () => {
    expect(contents.openHandler?.({ url: 'https://attacker.example/' })).toEqual({ action: 'deny' });
  });
});
