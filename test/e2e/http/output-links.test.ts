import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { httpDeps } from '../../../src/adapters/http/deps.ts';
import { type HttpServer, startHttp } from '../../../src/adapters/http/index.ts';
import { httpOutputLinks } from '../../../src/adapters/http/output-links-config.ts';
import type { App } from '../../../src/core/app.ts';
import type { OutputLinks } from '../../../src/core/jobs/output-links.ts';
import { relayPorts } from '../../../src/core/ports/relay-ports.ts';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import { SD15_MODELS, settled, testApp, testConfig } from '../../helpers/app.ts';

const PUBLIC = 'https://relay.example.com';

describe('GIVEN the HTTP server with http.publicUrl (links made by the configuration)', () => {
  let fake: FakeComfy;
  let app: App;
  let http: HttpServer;
  let links: OutputLinks;
  let config: ReturnType<typeof testConfig>;
  before(async () => {
    fake = await startFakeComfy({ models: SD15_MODELS, stepDelayMs: 5 });
    config = testConfig({ backends: [{ name: 'gpu1', url: fake.url }], http: { publicUrl: PUBLIC } });
    app = await testApp(config);
    links = httpOutputLinks(config, () => Date.now())!;
    const ports = relayPorts(app, { links });
    http = await startHttp(httpDeps(ports, config), { port: 0 });
    await app.engine.start();
  });
  after(async () => {
    await http.close();
    await app.close(1000);
    await fake.close();
    config.cleanup();
  });

  const local = (url: string) => url.replace(PUBLIC, http.url);

  it('WHEN a finished job’s link is opened without any key THEN /files serves the image; a wrong one is 404 JSON', async () => {
    const { ApiKeys } = await import('../../../src/core/keys/api-keys.ts');
    const { key } = await new ApiKeys(app.storage.keys).create({ name: 'test', tier: 'default' });
    const posted = await fetch(`${http.url}/api/relay/imagine`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'a fox', steps: 2 }),
    });
    assert.equal(posted.status, 202, await posted.clone().text());
    const { id } = (await posted.json()) as { id: string };
    const done = await settled(app, id);
    assert.equal(done.state, 'succeeded');
    const link = links.outputLink(done, 0)!;
    assert.ok(link.url.startsWith(`${PUBLIC}/files/${done.id}/0?exp=`), link.url);
    const res = await fetch(local(link.url));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.ok(
      Buffer.from(await res.arrayBuffer())
        .subarray(1, 4)
        .equals(Buffer.from('PNG')),
    );
    const wrong = await fetch(local(link.url).replace('/0?', '/1?'));
    assert.equal(wrong.status, 404);
    assert.equal(((await wrong.json()) as { error: { code: string } }).error.code, 'link_invalid');
  });
});
