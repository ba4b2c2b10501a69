// Content keys at rest (issue 6): a DRM-protected asset version is encrypted
// with its own random 16-byte content key, which the database only ever holds
// wrapped: AES-256-GCM under a key-encryption key (KEK) from secrets
// (DRM_KEKS, JSON [{ "id", "key": base64 32 bytes }], the first wraps, all
// unwrap, so KEKs can rotate), with the asset, version and key id as
// additional data, so a wrapped key copied onto another row does not unwrap.
// WebCrypto only: the origin worker (Node) wraps, the edge (workerd) unwraps,
// and both import this one module.

export interface Kek {
  id: string;
  /** base64, 32 bytes. */
  key: string;
}

export interface WrappedKey {
  kekId: string;
  /** 12-byte IV followed by the GCM ciphertext and tag. */
  wrapped: Uint8Array;
}

const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const aad = (assetId: string, version: number, keyId: string) => new TextEncoder().encode(`irdnl-content-key:${assetId}:${version}:${keyId}`);

async function importKek(kek: Kek): Promise<Awaited<ReturnType<typeof crypto.subtle.importKey>>> {
  const raw = fromB64(kek.key);
  if (raw.byteLength !== 32) throw new Error(`DRM KEK ${kek.id} must be 32 bytes`);
  return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

export async function wrapContentKey(keks: readonly Kek[], input: { assetId: string; version: number; keyId: string; key: Uint8Array }): Promise<WrappedKey> {
  const kek = keks[0];
  if (!kek) throw new Error('DRM_KEKS has no key');
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(input.assetId, input.version, input.keyId) }, await importKek(kek), input.key));
  const wrapped = new Uint8Array(12 + sealed.byteLength);
  wrapped.set(iv);
  wrapped.set(sealed, 12);
  return { kekId: kek.id, wrapped };
}

/** The content key, or an error when the KEK is unknown or the wrapped key was tampered with or moved. */
export async function unwrapContentKey(keks: readonly Kek[], input: { assetId: string; version: number; keyId: string; kekId: string; wrapped: Uint8Array }): Promise<Uint8Array> {
  const kek = keks.find((k) => k.id === input.kekId);
  if (!kek) throw new Error(`unknown DRM KEK ${input.kekId}`);
  const iv = input.wrapped.subarray(0, 12);
  const sealed = input.wrapped.subarray(12);
  return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad(input.assetId, input.version, input.keyId) }, await importKek(kek), sealed));
}

/** A fresh content key and key id (both 16 random bytes; the id as a uuid, as the schema stores it). */
export function newContentKey(): { keyId: string; key: Uint8Array } {
  return { keyId: crypto.randomUUID(), key: crypto.getRandomValues(new Uint8Array(16)) };
}

/** The key id's 16 bytes (from its uuid form). */
export function keyIdBytes(keyId: string): Uint8Array {
  const hex = keyId.replace(/-/g, '');
  return Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
}
