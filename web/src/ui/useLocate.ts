import { useState } from 'react';

export type LocateState = 'idle' | 'busy' | 'found' | 'failed';

/** The phone's position to six decimals (about 10 cm), asked for once on a button press. */
export function useLocate(onFound: (point: { lat: number; lon: number }) => void) {
  const [state, setState] = useState<LocateState>('idle');
  function locate() {
    if (!navigator.geolocation) {
      setState('failed');
      return;
    }
    setState('busy');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setState('found');
        onFound({
          lat: Math.round(pos.coords.latitude * 1e6) / 1e6,
          lon: Math.round(pos.coords.longitude * 1e6) / 1e6,
        });
      },
      () => setState('failed'),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  }
  return { state, setState, locate };
}
