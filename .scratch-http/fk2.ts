import { startFakeComfy } from '../test/fakes/comfy/index.ts';
import { SD15_MODELS } from '../test/helpers/app.ts';
const f = await startFakeComfy({ models: SD15_MODELS });
const q = new URLSearchParams({ filename: '夜_00001_.png', subfolder: 'comfyrelay/x/灯塔', type: 'output' });
const res = await fetch(`${f.url}/view?${q}`);
console.log(res.status, await res.text());
await f.close();
