import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../../api.ts';
import { Button } from '../../ui/Button.tsx';
import { isFollowed, mirrorFollowed, remember, urlBase64ToBytes } from './push.ts';

/** Web push needs a service worker and the Push API; without them the button is not offered at all. */
export function pushSupported(): boolean {
  return (
    typeof window !== 'undefined' &&
    'serviceWorker' in navigator &&
    'PushManager' in window &&
    'Notification' in window &&
    window.isSecureContext
  );
}

type State = 'idle' | 'working' | 'on' | 'denied' | 'failed';

async function subscription(): Promise<PushSubscription> {
  const registration = await navigator.serviceWorker.register('/sw.js');
  await navigator.serviceWorker.ready;
  const existing = await registration.pushManager.getSubscription();
  if (existing) return existing;
  const { publicKey } = await api<{ publicKey: string }>('GET', '/api/push/public-key');
  return registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: urlBase64ToBytes(publicKey),
  });
}

/**
 * "Notify me on this phone": this browser follows the complaint and the platform pushes each public
 * change. One browser subscription serves every complaint it follows; which ones this browser follows
 * is remembered on the device, so stopping one leaves the others.
 */
export function PushFollow({ reference }: { reference: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [state, setState] = useState<State>(() => (isFollowed(reference) ? 'on' : 'idle'));
  const supported = pushSupported();
  useEffect(() => {
    // Follows made before the service worker read the list are handed to it too.
    if (supported) void mirrorFollowed().catch(() => undefined);
  }, [supported]);
  if (!supported) return null;

  async function start() {
    setState('working');
    try {
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') return setState('denied');
      const sub = (await subscription()).toJSON();
      await api('POST', `/api/complaints/requests/${encodeURIComponent(reference)}/push`, {
        endpoint: sub.endpoint,
        keys: sub.keys,
      });
      remember(reference, true);
      await mirrorFollowed().catch(() => undefined);
      setState('on');
    } catch {
      setState('failed');
    }
  }

  async function stop() {
    setState('working');
    try {
      const registration = await navigator.serviceWorker.getRegistration('/sw.js');
      const sub = await registration?.pushManager.getSubscription();
      if (sub)
        await api('DELETE', `/api/complaints/requests/${encodeURIComponent(reference)}/push`, {
          endpoint: sub.endpoint,
        }).catch((e) => {
          // Already gone on the server (the push service ended it): stopping has still happened.
          if (!(e instanceof ProblemError && e.problem.status === 404)) throw e;
        });
      remember(reference, false);
      await mirrorFollowed().catch(() => undefined);
      setState('idle');
    } catch {
      setState('failed');
    }
  }

  const on = state === 'on';
  return (
    <section aria-labelledby={`${id}-title`} data-testid="push-follow">
      <h2 id={`${id}-title`}>{t('complaints.push.title')}</h2>
      <p className="hint" id={`${id}-hint`}>
        {t('complaints.push.hint')}
      </p>
      <Button
        variant={on ? 'secondary' : 'primary'}
        aria-describedby={`${id}-hint`}
        disabled={state === 'working'}
        onClick={() => void (on ? stop() : start())}
        data-testid="push-button"
      >
        {on ? t('complaints.push.stop') : t('complaints.push.start')}
      </Button>
      <p role="status" data-testid="push-status">
        {state === 'on' && t('complaints.push.on')}
        {state === 'working' && t('complaints.push.working')}
        {state === 'denied' && t('complaints.push.denied')}
        {state === 'failed' && t('complaints.push.failed')}
      </p>
    </section>
  );
}
