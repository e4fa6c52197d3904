/* Mueang's service worker: shows web push notifications (complaint status changes), opens the
   status page when one is tapped, and follows the browser when it replaces the push subscription.
   It caches no page or response: the web app works as it did without it. */

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

/** Only paths on this origin are opened, whatever a message says. */
function samePath(url) {
  try {
    const target = new URL(url, self.location.origin);
    return target.origin === self.location.origin ? target.href : self.location.origin;
  } catch {
    return self.location.origin;
  }
}

self.addEventListener('push', (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = { body: event.data ? event.data.text() : '' };
  }
  const title = typeof message.title === 'string' ? message.title : 'Mueang';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof message.body === 'string' ? message.body : '',
      // One notification per complaint: a newer change replaces the older one.
      tag: typeof message.tag === 'string' ? message.tag : undefined,
      renotify: typeof message.tag === 'string',
      lang: message.lang === 'en' ? 'en' : 'th',
      icon: '/favicon.svg',
      data: { url: samePath(message.url || '/') },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = samePath(event.notification.data?.url || '/');
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((w) => w.url === url);
      if (open) return open.focus();
      return self.clients.openWindow(url);
    })(),
  );
});

/* Which complaints this browser follows: the page writes the list here (web/src/modules/complaints/
   push.ts, `mirrorFollowed`), since a service worker cannot read the page's localStorage. */
const followedCache = 'mueang-push-followed';
const followedUrl = '/__push-followed.json';

async function followedReferences() {
  try {
    const cache = await caches.open(followedCache);
    const hit = await cache.match(followedUrl);
    const list = hit ? await hit.json() : [];
    return Array.isArray(list) ? list.filter((r) => typeof r === 'string') : [];
  } catch {
    return [];
  }
}

/** The CSRF token of the signed-in session, if any: the API wants it on a write with the cookie. */
async function csrfHeader() {
  try {
    const me = await fetch('/api/me', { credentials: 'same-origin' });
    if (!me.ok) return {};
    const { csrfToken } = await me.json();
    return typeof csrfToken === 'string' ? { 'x-csrf-token': csrfToken } : {};
  } catch {
    return {};
  }
}

/**
 * The push service replaced (or ended) this browser's subscription: subscribe again when the browser
 * did not, and tell the platform the new one for every complaint followed here. The old one is
 * dropped on the server too; had this failed, the push service's 404/410 would drop it at the next
 * status change (src/modules/complaints/push.ts).
 */
async function resubscribe(event) {
  const references = await followedReferences();
  if (references.length === 0) return;
  let next = event.newSubscription;
  if (!next) {
    const res = await fetch('/api/push/public-key');
    if (!res.ok) return;
    const { publicKey } = await res.json();
    next = await self.registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: publicKey,
    });
  }
  const { endpoint, keys } = next.toJSON();
  const old = event.oldSubscription?.endpoint;
  const headers = { 'content-type': 'application/json', ...(await csrfHeader()) };
  for (const reference of references) {
    const url = `/api/complaints/requests/${encodeURIComponent(reference)}/push`;
    await fetch(url, { method: 'POST', headers, body: JSON.stringify({ endpoint, keys }) });
    if (old && old !== endpoint)
      await fetch(url, { method: 'DELETE', headers, body: JSON.stringify({ endpoint: old }) });
  }
}

self.addEventListener('pushsubscriptionchange', (event) => event.waitUntil(resubscribe(event)));
