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
  // A bounded list: the oldest fall off (they only decide which button label shows).
  storage?.setItem(followedKey, JSON.stringify((on ? [...rest, reference] : rest).slice(-100)));
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
