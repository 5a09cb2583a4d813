import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { base64Length, decodeImageText } from '../../../../src/adapters/http/base64-image.ts';

const unpadded = (b64: string) => b64.replace(/=+$/, '');
const urlSafe = (b64: string) => b64.replace(/\+/g, '-').replace(/\//g, '_');

describe('base64 and data: URL input images', () => {
  it('GIVEN any bytes in base64, padded or not, standard or URL-safe, wrapped or not THEN they decode to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (raw) => {
        const bytes = Buffer.from(raw);
        const b64 = bytes.toString('base64');
        assert.equal(b64.length, base64Length(bytes.length));
        for (const text of [
          b64,
          unpadded(b64),
          urlSafe(b64),
          b64.replace(/(.{8})/g, '$1\r\n'),
          `data:image/png;base64,${b64}`,
          `DATA:Image/WebP;name=x.webp;base64,${unpadded(b64)}`,
        ]) {
          const decoded = decodeImageText(text, bytes.length);
          assert.ok(decoded.ok, text);
          assert.deepEqual(Buffer.from(decoded.value), bytes);
        }
      }),
    );
  });

  it('GIVEN text one byte past the limit THEN refused as too large from its length alone; at the limit THEN decoded', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), (size) => {
        const b64 = Buffer.alloc(size + 1, 1).toString('base64');
        assert.deepEqual(decodeImageText(b64, size), { ok: false, error: { code: 'tooLarge' } });
        assert.deepEqual(decodeImageText(unpadded(b64), size), { ok: false, error: { code: 'tooLarge' } });
        assert.ok(decodeImageText(b64, size + 1).ok);
      }),
    );
  });

  it('GIVEN text that is not base64 or a data: URL of the wrong kind THEN the refusal says which', () => {
    const refusal = (text: string) => {
      const r = decodeImageText(text, 1000);
      return r.ok ? 'decoded' : r.error;
    };
    for (const text of ['abc!', 'a', 'abcde', 'ab=c', 'abc==', '====', 'ab==cd==']) {
      assert.deepEqual(refusal(text), { code: 'base64' }, text);
    }
    assert.deepEqual(refusal('data:image/png,AAAA'), { code: 'dataUrl' });
    assert.deepEqual(refusal('data:;base64'), { code: 'dataUrl' });
    assert.deepEqual(refusal('data:text/html;base64,AAAA'), { code: 'dataType', type: 'text/html' });
    assert.deepEqual(refusal('data:;base64,AAAA'), { code: 'dataType', type: 'none' });
    assert.deepEqual(refusal('data:image/svg+xml;base64,AAAA'), {
      code: 'dataType',
      type: 'image/svg+xml',
    });
  });
});
