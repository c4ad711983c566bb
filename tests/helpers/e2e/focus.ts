/** Where keyboard focus is in the page, by the focused element's data-testid (null for the body or an element without one). */
import type { Page } from 'playwright-core';

export function focusedTestId(page: Page): Promise<string | null> {
  // A string, so the test's Node typings need no DOM library.
  return page.evaluate<string | null>("document.activeElement?.getAttribute('data-testid') ?? null");
}
