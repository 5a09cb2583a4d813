import fc from 'fast-check';

/**
 * Generators of what the internet sends: bodies, headers, ranges, multipart, URLs, unicode and control
 * characters, numbers at and past every bound. Each request is described as data (`AbuseRequest`) so a
 * failure prints exactly what was sent.
 */

export interface AbuseRequest {
  /** Which server: the keyed one, or the one without keys. */
  target: 'keyed' | 'open';
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** For the summary: which endpoint family this came from. */
  kind: string;
}

/** Things a test knows about the servers: a real key, a finished job, an uploaded asset and its hash. */
export interface Known {
  key: string;
  jobId: string;
  assetId: string;
  assetHash: string;
  png: Buffer;
}

const NASTY = [
  '',
  ' ',
  '\r\n',
  '\u0000',
  '\u202e',
  '\ud800',
  '😀',
  '灯塔',
  '../../etc/passwd',
  '%2e%2e%2f',
  '%ff',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  '{{7*7}}',
  '\u0024{jndi:ldap://x}',
  'a'.repeat(5000),
  'x'.repeat(70_000),
];

/** Any text: random unicode (lone surrogates and controls included) or a known troublemaker. */
export const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 2, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.string({ maxLength: 3000 }) },
);

/** Numbers at and past the bounds of every numeric field (JSON writes NaN and Infinity as null). */
export const number = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    -2,
    -1,
    0,
    1,
    2 ** 31,
    2 ** 32,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 53),
    1e308,
    -1e308,
    5e-324,
    0.5,
  ),
);

/** Header-safe text (printable ASCII), since a client library will not even send the rest. */
export const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 120,
});

const value = fc.oneof(text, number, fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 3 }));

/** URLs a server must not fetch, or cannot parse; no public host, so nothing leaves this machine. */
export const badUrl = fc.oneof(
  fc.constantFrom(
    'http://127.0.0.1/x.png',
    'http://127.1/x.png',
    'http://0x7f.0.0.1/',
    'http://2130706433/',
    'http://[::1]/',
    'http://[::ffff:7f00:1]/',
    'http://[::127.0.0.1]/',
    'http://[64:ff9b::a9fe:a9fe]/',
    'http://[2001::1]/',
    'http://[100::1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/',
    'http://localhost/',
    'http://localhost./',
    'http://a.localhost/',
    'file:///etc/passwd',
    'gopher://127.0.0.1:6379/_INFO',
    'javascript:alert(1)',
    'data:image/png;base64,iVBORw0KGgo=',
    'http://user:pass@127.0.0.1/',
    'http://[fe80::1%25eth0]/',
    `http://${'a'.repeat(3000)}/`,
    'http://',
    '//127.0.0.1/',
  ),
  text,
);

const id = (known: Known) =>
  fc.oneof(
    fc.constantFrom(known.jobId, known.assetId, 'nope', '..', '%2e%2e', '%00', '%ff', '%E0%A4%A', 'a/b'),
    fc.uuid(),
    headerText.map((s) => encodeURIComponent(s)),
    text.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, ''))),
  );

export const imagineBody = fc.record(
  {
    prompt: fc.oneof(
      text,
      number,
      fc.constant(null),
      fc.constantFrom('a fox --steps 2', 'x --n 9 --seed -5'),
    ),
    template: fc.oneof(text, fc.constantFrom('sd15-txt2img', 'sd15-img2img', 'upscale-4x', '')),
    params: fc.oneof(fc.dictionary(text, value, { maxKeys: 8 }), value),
    negative: fc.oneof(text, number),
    seed: fc.oneof(number, text),
    image_url: badUrl,
    image_asset: fc.oneof(text, fc.uuid()),
    image_base64: fc.oneof(
      text,
      fc.base64String({ maxLength: 400 }),
      fc.base64String({ maxLength: 400 }).map((b) => `data:image/png;base64,${b}`),
      text.map((t) => `data:${t}`),
    ),
    model: fc.oneof(text, number),
    webhook_url: badUrl,
  },
  { requiredKeys: [] },
);

const nodeId = fc.oneof(fc.constantFrom('1', '2', '3', '9'), text);
const link = fc.tuple(nodeId, fc.oneof(fc.integer({ min: -1, max: 3 }), number));
const assetRef = (known: Known) =>
  fc.record({
    __type: fc.constant('core/ASSET'),
    info: fc.record({ id: fc.oneof(fc.constant(known.assetId), text) }),
  });
const node = (known: Known) =>
  fc.record(
    {
      class_type: fc.oneof(
        fc.constantFrom('KSampler', 'SaveImage', 'LoadImage', 'CheckpointLoaderSimple', 'VAEDecode'),
        text,
      ),
      inputs: fc.oneof(fc.dictionary(text, fc.oneof(value, link, assetRef(known)), { maxKeys: 6 }), value),
      _meta: fc.oneof(fc.record({ title: value }), value),
    },
    { requiredKeys: ['class_type'] },
  );

export const jobBody = (known: Known) =>
  fc.record(
    {
      workflow: fc.oneof(
        fc.dictionary(nodeId, node(known), { maxKeys: 6 }),
        value,
        fc.constant({ nodes: [], links: [], last_node_id: 1 }),
      ),
      extra_data: fc.oneof(fc.record({ api_key_comfy_org: value }), value),
      webhook_url: badUrl,
    },
    { requiredKeys: [] },
  );

/** A raw body that is not what it says: bad JSON, deep nesting, prototype keys, wrong sizes. */
export const rawBody = fc.oneof(
  text,
  fc.integer({ min: 1, max: 5000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 60, max: 200_000 }).map((n) => `{"prompt":${'['.repeat(n)}`),
  fc.constantFrom(
    '{"prompt":"x","__proto__":{"admin":true}}',
    '{"prompt":"x","params":{"__proto__":{"steps":1}}}',
    '{"prompt":"x"',
    'null',
    '[]',
    '"x"',
    '{"prompt":"\\ud800"}',
    `{"prompt":"${'x'.repeat(2_200_000)}"}`,
  ),
);

export const contentType = fc.oneof(
  { weight: 4, arbitrary: fc.constant('application/json') },
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/merge-patch+json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=xyz',
    'multipart/form-data',
    '',
  ),
  headerText,
);

/** A multipart upload body, well formed or not, and its content type. */
export const multipart = (known: Known) =>
  fc
    .record({
      boundary: fc.oneof(
        fc.constant('b0undary'),
        headerText.filter((s) => s.length > 0 && !s.includes('"')),
      ),
      fields: fc.dictionary(
        fc.constantFrom('file_path', 'content_type', 'expected_hash', 'tags', 'expires_in', 'file'),
        fc.oneof(text, fc.constant(known.assetHash), fc.constant(`blake3:${'0'.repeat(64)}`)),
        { maxKeys: 4 },
      ),
      file: fc.oneof(
        fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b)),
        fc.constantFrom(
          known.png,
          Buffer.concat([known.png.subarray(0, 33), Buffer.from('<html>')]),
          Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
          Buffer.alloc(0),
        ),
      ),
      filename: text,
      files: fc.integer({ min: 0, max: 2 }),
      truncate: fc.boolean(),
    })
    .map(({ boundary, fields, file, filename, files, truncate }) => {
      const parts: Buffer[] = [];
      for (const [k, v] of Object.entries(fields))
        parts.push(
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
        );
      for (let i = 0; i < files; i++)
        parts.push(
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename.replace(/"/g, '')}"\r\nContent-Type: image/png\r\n\r\n`,
          ),
          file,
          Buffer.from('\r\n'),
        );
      parts.push(Buffer.from(`--${boundary}--\r\n`));
      const body = Buffer.concat(parts);
      return {
        body: truncate ? body.subarray(0, Math.floor(body.length / 2)) : body,
        type: `multipart/form-data; boundary=${boundary}`,
      };
    });

export const range = fc.oneof(
  fc.constantFrom(
    'bytes=0-',
    'bytes=-0',
    'bytes=-1',
    'bytes=5-1',
    'bytes=0-99999999999999999999999',
    'bytes=99999999999999999999-',
    'bytes=a-b',
    'bytes=0-1,2-3',
    'bytes=-',
    'items=0-1',
  ),
  headerText,
);

export const GET_PATHS = (known: Known) =>
  fc.tuple(
    fc.constantFrom(
      '/api/v2/assets/{id}',
      '/api/v2/assets/{id}/content',
      '/api/v2/assets/by-hash/{id}',
      '/api/v2/jobs/{id}',
      '/api/v2/jobs/{id}/workflow',
      '/api/v2/jobs/{id}/events',
      '/api/relay/jobs/{id}',
      '/api/relay/jobs/{id}/events',
      '/api/relay/jobs?limit={id}&cursor={id}',
      '/api/relay/assets?limit={id}&cursor={id}',
      '/api/relay/workflows',
      '/api/openapi.json',
      '/api/{id}',
      '/{id}',
      '/healthz',
      '/readyz',
      '/metrics?key={id}',
      '/app.js',
    ),
    id(known),
    id(known),
  );
