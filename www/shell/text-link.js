// A pasted text in a link: UTF-8, deflate-raw (CompressionStream), base64url (no padding),
// so it rides in the address as the state row `ttext`; and back. A text whose code is
// longer than MAX_LINK_TEXT does not fit: the page says so and offers the model file.
import { MAX_LINK_TEXT } from '../state.js';

export { MAX_LINK_TEXT };

async function pipe(bytes, stream) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function toBase64url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(code) {
  if (!/^[A-Za-z0-9_-]*$/.test(code)) throw new Error('it has characters that base64url does not use');
  const b64 = code.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** `text` as a link's code (deflate-raw + base64url). */
export async function encodeText(text) {
  return toBase64url(await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw')));
}

/** The text of a link's code; throws (in words) on a code that is not one. */
export async function decodeText(code) {
  let bytes;
  try {
    bytes = await pipe(fromBase64url(code), new DecompressionStream('deflate-raw'));
  } catch (e) {
    throw new Error(`the text in the address could not be read (${e.message || 'not deflate-raw data'})`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error('the text in the address is not UTF-8');
  }
}

/** Whether the browser can compress (CompressionStream with deflate-raw). */
export function canCompress() {
  try {
    return typeof CompressionStream === 'function' && Boolean(new CompressionStream('deflate-raw'));
  } catch {
    return false;
  }
}
