import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../src-main/bridge/security-headers.js';

/** Directive name → its sources, from a policy string. */
function directives(policy: string): Record<string, string> {
  return Object.fromEntries(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources.join(' ')]),
  );
}

const indexHtml = readFileSync(join(import.meta.dirname, '../../../src-renderer/index.html'), 'utf8');
const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(indexHtml)?.[1];

describe('the one content security policy', () => {
  it('is the same in the renderer page (the only policy under file:// in Electron) and in the response header', () => {
    expect(meta).toBeDefined();
    // frame-ancestors is honoured only as a header (CSP3 §6.4.2), so the page leaves it out.
    const { 'frame-ancestors': frameAncestors, ...rest } = directives(contentSecurityPolicy);
    expect(frameAncestors).toBe("'none'");
    expect(directives(meta!)).toEqual(rest);
  });

  it("runs only the app's own scripts and workers: no eval, no inline code, no blob: or data: code (the PDF preview needs none)", () => {
    const policy = directives(contentSecurityPolicy);
    expect(policy['script-src']).toBe("'self'");
    expect(policy['worker-src'] ?? policy['script-src']).toBe("'self'");
    expect(policy['object-src']).toBe("'none'");
    expect(contentSecurityPolicy).not.toMatch(/unsafe-(eval|inline)|wasm-unsafe-eval/);
  });
});
