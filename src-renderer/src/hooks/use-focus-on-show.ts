/**
 * Moves keyboard focus (and with it the screen reader) to an element when it appears or when `key` changes,
 * so after a step the holder lands on its result or its error instead of the page body. The element needs
 * tabIndex={-1} unless it is focusable anyway.
 */
import { useEffect, useRef } from 'react';

export function useFocusOnShow<T extends HTMLElement>(enabled: boolean, key: unknown = null) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (enabled) ref.current?.focus();
  }, [enabled, key]);
  return ref;
}
