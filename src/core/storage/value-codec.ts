/** Marks a value written as plain JSON; values from before it (Keyv's own format) start with `{`. */
const TAG = 'j:';

type Stored<Value = unknown> = { value?: Value; expires?: number | undefined };

/**
 * How Keyv entries are written: native `JSON.stringify`, with far less garbage and time than Keyv's
 * default serializer (a recursive string builder that escapes strings starting with `:` and encodes
 * Buffers; every value here is plain JSON already, see `Store`). Entries written before are still read.
 */
export const serializeValue = <Value>(data: Stored<Value>): string => `${TAG}${JSON.stringify(data)}`;

export const deserializeValue = <Value>(text: string): Stored<Value> | undefined =>
  (text.startsWith(TAG) ? JSON.parse(text.slice(TAG.length)) : legacyValue(text)) as
    | Stored<Value>
    | undefined;

/** Keyv's former format: strings starting with `:` were written with one more; Buffers as `:base64:`. */
function legacyValue(text: string): unknown {
  return JSON.parse(text, (_, value: unknown) => {
    if (typeof value !== 'string') return value;
    if (value.startsWith(':base64:')) return Buffer.from(value.slice(8), 'base64');
    return value.startsWith(':') ? value.slice(1) : value;
  });
}
