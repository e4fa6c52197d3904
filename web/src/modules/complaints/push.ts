/** Where this browser remembers which complaints it follows with web push (references only). */
export const followedKey = 'mueang.complaints.push';

function followed(storage: Store | undefined): string[] {
  try {
    const list = JSON.parse(storage?.getItem(followedKey) ?? '[]');
    return Array.isArray(list) ? list.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}

type Store = Pick<Storage, 'getItem' | 'setItem'>;
const local = (): Store | undefined => (typeof localStorage === 'undefined' ? undefined : localStorage);

export function isFollowed(reference: string, storage = local()): boolean {
  return followed(storage).includes(reference);
}

export function remember(reference: string, on: boolean, storage = local()): void {
  const rest = followed(storage).filter((r) => r !== reference);
  // A bounded list: the oldest fall off (they decide which button label shows, and which complaints
  // the service worker follows again when the browser replaces the subscription).
  storage?.setItem(followedKey, JSON.stringify((on ? [...rest, reference] : rest).slice(-100)));
}

/** Where the service worker reads the list (web/public/sw.js, `followedReferences`). */
export const followedCache = 'mueang-push-followed';
export const followedUrl = '/__push-followed.json';

/**
 * Copies the list where the service worker can read it: it cannot read localStorage, and it needs
 * the list on `pushsubscriptionchange` to give the platform the new subscription for each complaint.
 */
export async function mirrorFollowed(
  storage = local(),
  cacheStorage: Pick<CacheStorage, 'open'> | undefined = typeof caches === 'undefined' ? undefined : caches,
): Promise<void> {
  if (!cacheStorage) return;
  const cache = await cacheStorage.open(followedCache);
  await cache.put(
    followedUrl,
    new Response(JSON.stringify(followed(storage)), { headers: { 'content-type': 'application/json' } }),
  );
}

/** The VAPID key (base64url, as the API gives it) as the bytes PushManager.subscribe wants. */
export function urlBase64ToBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(value.length / 4) * 4, '=');
  const raw = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}
