import { useEffect, useRef } from 'react';

/** Puts the keyboard on a form's heading when the form opens, so it is announced and reached at once. */
export function useFocusOnOpen<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}
