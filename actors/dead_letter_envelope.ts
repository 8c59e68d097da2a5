/**
 * The wire format of a dead letter on the `<topic>.dlq` topic: a JSON envelope (pure encode/decode), capped in
 * size.
 *
 * ```json
 * { "v": 1, "reason": "...", "stage": "hot_sink", "ts": "2026-11-29T04:00:00.000Z",
 *   "kafka": { "topic": "vigil.events", "partition": 2, "offset": "1234" },
 *   "original": "<base64 of the original bytes>", "originalText": "<the same as text, when valid UTF-8>",
 *   "key": "<original key as text, when there was one>" }
 * ```
 * `original` keeps the exact bytes (even binary or invalid UTF-8); `originalText` is there for people reading
 * the topic. Both together make the envelope ≈ 2.3× the message, so a message near the broker's limit would
 * give an envelope the broker refuses, and its partition could never move on. The envelope is therefore kept
 * within `maxBytes`: beyond it, `original` / `originalText` hold a prefix of the bytes, `truncated` is `true`
 * and `originalBytes` is the full size. The key is cut at {@link MAX_KEY_BYTES} (also flagged `truncated`) and
 * the reason at {@link MAX_REASON_CHARS} (ending in `…`).
 *
 * @module
 */
import { DEAD_LETTER_STAGES, type DeadLetterRecord, type DeadLetterStage } from "./dead_letter_record.ts";

/** Version of the envelope format (the truncation fields are optional additions, readable by v1 readers). */
export const DEAD_LETTER_ENVELOPE_VERSION = 1;

/** Default cap of an encoded envelope, bytes: half of Kafka's default `max.message.bytes` (1 MiB). */
export const DEFAULT_DEAD_LETTER_MAX_BYTES = 512 * 1024;

/** Longest reason kept in an envelope, characters (a tier's error text can be arbitrarily long). */
export const MAX_REASON_CHARS = 2048;

/** Longest key kept in an envelope, bytes (a hostile key counts against the broker's limit too). */
export const MAX_KEY_BYTES = 1024;

/** The smallest cap that still leaves room for the fixed fields (a cut reason and key, escaped, fit in 20 KiB). */
const MIN_MAX_BYTES = 32 * 1024;

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

function utf8OrUndefined(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined; // not UTF-8: only the base64 form is kept
  }
}

/** The text of a prefix of `bytes` cut at most 3 bytes earlier so that a character is not split. */
function utf8Prefix(bytes: Uint8Array, length: number): string | undefined {
  for (let cut = length; cut >= Math.max(0, length - 3); cut--) {
    const text = utf8OrUndefined(bytes.subarray(0, cut));
    if (text !== undefined) return text;
  }
  return undefined;
}

function envelope(record: DeadLetterRecord, originalLength: number, truncated: boolean): string {
  const original = record.original.subarray(0, originalLength);
  const reason = record.reason.length > MAX_REASON_CHARS
    ? `${record.reason.slice(0, MAX_REASON_CHARS)}…`
    : record.reason;
  const key = record.key === undefined
    ? undefined
    : new TextDecoder().decode(record.key.subarray(0, MAX_KEY_BYTES));
  // The flag is about what a re-drive would send (bytes and key); a cut reason shows its own `…`.
  const cut = truncated || (record.key?.length ?? 0) > MAX_KEY_BYTES;
  return JSON.stringify({
    v: DEAD_LETTER_ENVELOPE_VERSION,
    reason,
    stage: record.stage,
    ts: record.ts,
    kafka: record.kafka,
    original: toBase64(original),
    originalText: truncated ? utf8Prefix(record.original, originalLength) : utf8OrUndefined(original),
    key,
    truncated: cut ? true : undefined,
    originalBytes: cut ? record.original.length : undefined,
  });
}

/**
 * Encodes a dead letter as the JSON value of a DLQ message of at most `maxBytes` UTF-8 bytes.
 *
 * @param record the dead letter
 * @param maxBytes cap of the encoded envelope (at least 32 KiB); default {@link DEFAULT_DEAD_LETTER_MAX_BYTES}
 * @throws {RangeError} when `maxBytes` is below 32 KiB
 */
export function encodeDeadLetter(record: DeadLetterRecord, maxBytes = DEFAULT_DEAD_LETTER_MAX_BYTES): string {
  if (!Number.isInteger(maxBytes) || maxBytes < MIN_MAX_BYTES) {
    throw new RangeError(
      `Cannot encode dead letter as maxBytes must be an integer of at least ${MIN_MAX_BYTES}: current value is ${maxBytes}`,
    );
  }
  const full = envelope(record, record.original.length, false);
  if (encoder.encode(full).length <= maxBytes) return full;
  // Shrink the kept prefix until the envelope fits. The first guess assumes base64 (4/3) plus plain text (1);
  // escaped control characters can take up to 6 bytes each, hence the loop (it converges in a few rounds).
  const fixed = encoder.encode(envelope(record, 0, true)).length + 64;
  let length = Math.min(record.original.length, Math.floor(Math.max(0, maxBytes - fixed) * 3 / 7));
  for (;;) {
    const text = envelope(record, length, true);
    const size = encoder.encode(text).length;
    if (size <= maxBytes || length === 0) return text;
    length = Math.floor(length * Math.min(0.95, (maxBytes - fixed) / (size - fixed)));
  }
}

/**
 * Decodes the JSON value of a DLQ message.
 *
 * @throws {TypeError} when the value is not a dead-letter envelope
 */
export function decodeDeadLetter(value: string): DeadLetterRecord {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw new TypeError(`Cannot decode dead letter as the value is not JSON: ${(err as Error).message}`);
  }
  if (
    typeof parsed !== "object" || parsed === null || typeof parsed.original !== "string" ||
    typeof parsed.reason !== "string" || !DEAD_LETTER_STAGES.includes(parsed.stage as DeadLetterStage)
  ) {
    throw new TypeError("Cannot decode dead letter as the value lacks original, reason or a known stage");
  }
  const record: DeadLetterRecord = {
    original: fromBase64(parsed.original),
    reason: parsed.reason,
    stage: parsed.stage as DeadLetterStage,
    ts: typeof parsed.ts === "string" ? parsed.ts : "",
    kafka: parsed.kafka as DeadLetterRecord["kafka"],
    key: typeof parsed.key === "string" ? new TextEncoder().encode(parsed.key) : undefined,
  };
  if (parsed.truncated === true) {
    record.truncated = true;
    record.originalBytes = typeof parsed.originalBytes === "number" ? parsed.originalBytes : undefined;
  }
  return record;
}
