// ComfyRelay web page: plain JS, no build step. The key stays in this browser (localStorage).
const M = {
  en: {
    key: 'API key',
    saveKey: 'Save',
    template: 'Template',
    prompt: 'Prompt',
    generate: 'Generate',
    cancel: 'Cancel',
    recent: 'Your recent jobs',
    promptHint: 'a lighthouse at dusk --ar 16:9 --steps 20',
    saved: 'Key saved in this browser.',
    noKey: 'No key saved (fine on a local server without keys).',
    queued: 'Queued — position {p}',
    starting: 'Starting…',
    running: 'Generating… {pct}%',
    succeeded: 'Done — seed {seed}',
    failed: 'Failed: {msg}',
    canceled: 'Canceled.',
    expired: 'Expired: no backend could take it in time.',
    canceling: 'Canceling…',
    error: 'Error: {msg}',
    seed: 'seed {seed}',
    empty: 'No jobs yet.',
    blurred: 'Blurred by the safety filter.',
    spoilered: 'Hidden by the safety filter.',
    reveal: 'Reveal',
    hide: 'Hide',
    blocked: 'Blocked by the safety filter: not shown.',
  },
  zh: {
    key: 'API 密钥',
    saveKey: '保存',
    template: '模板',
    prompt: '提示词',
    generate: '生成',
    cancel: '取消',
    recent: '你最近的任务',
    promptHint: '黄昏时的灯塔 --ar 16:9 --steps 20',
    saved: '密钥已保存在此浏览器中。',
    noKey: '未保存密钥（本地无密钥服务器可不填）。',
    queued: '排队中 — 第 {p} 位',
    starting: '正在开始…',
    running: '生成中… {pct}%',
    succeeded: '完成 — 种子 {seed}',
    failed: '失败：{msg}',
    canceled: '已取消。',
    expired: '已过期：没有后端及时接手。',
    canceling: '正在取消…',
    error: '错误：{msg}',
    seed: '种子 {seed}',
    empty: '还没有任务。',
    blurred: '已被安全过滤器模糊处理。',
    spoilered: '已被安全过滤器隐藏。',
    reveal: '显示原图',
    hide: '隐藏',
    blocked: '已被安全过滤器拦截，不予显示。',
  },
};
const lang = /^zh/i.test(navigator.language) ? 'zh' : 'en';
const tr = (k, p = {}) => (M[lang][k] ?? M.en[k]).replace(/\{(\w+)\}/g, (_, n) => String(p[n] ?? ''));
const $ = (id) => document.getElementById(id);
document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = tr(el.dataset.i18n);
for (const el of document.querySelectorAll('[data-i18n-placeholder]'))
  el.placeholder = tr(el.dataset.i18nPlaceholder);

let key = localStorage.getItem('comfyrelay.key') ?? '';
$('key').value = key;
$('key-status').textContent = key ? tr('saved') : tr('noKey');
const headers = (extra = {}) => ({
  'Accept-Language': lang,
  ...(key ? { Authorization: `Bearer ${key}` } : {}),
  ...extra,
});
const api = async (path, init = {}) => {
  const res = await fetch(path, { ...init, headers: headers(init.headers) });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw new Error(body.error?.message ?? `HTTP ${res.status}`);
  }
  return res;
};
const blobUrl = async (url) => {
  const u = new URL(url);
  return URL.createObjectURL(await (await api(u.pathname + u.search)).blob());
};

$('save-key').addEventListener('click', () => {
  key = $('key').value.trim();
  localStorage.setItem('comfyrelay.key', key);
  $('key-status').textContent = key ? tr('saved') : tr('noKey');
  void loadTemplates();
  void loadGallery();
});

async function loadTemplates() {
  try {
    const { workflows } = await (await api('/api/relay/workflows')).json();
    const select = $('template');
    select.replaceChildren(
      ...workflows.map((w) =>
        Object.assign(document.createElement('option'), {
          value: w.name,
          textContent: `${w.name} — ${w.description}`,
        }),
      ),
    );
  } catch (e) {
    $('key-status').textContent = tr('error', { msg: e.message });
  }
}

const el = (tag, props = {}) => Object.assign(document.createElement(tag), props);
const visual = (o) => /^(image|video|audio)\//.test(o.content_type) && o.type !== 'text';

/**
 * One output: an image, a video or audio player. The safety filter's decision is the server's: a blocked
 * output is a note (its URL answers 403), a blurred one shows the blurred version with a reveal button
 * that fetches the original (`original_url`, for this key only).
 */
async function outputFigure(o, caption) {
  const f = el('figure');
  const note = (text) => el('p', { className: 'hint safety', textContent: text });
  if (o.safety?.action === 'block') {
    f.append(note(tr('blocked')), el('figcaption', { textContent: caption }));
    return f;
  }
  const kind = o.content_type.split('/')[0];
  const media =
    kind === 'video'
      ? el('video', { controls: true, loop: true, muted: true, playsInline: true })
      : kind === 'audio'
        ? el('audio', { controls: true })
        : el('img', { alt: caption, loading: 'lazy' });
  media.src = await blobUrl(o.url);
  f.append(media);
  // `blur`: the server sent the blurred version, the original is fetched on Reveal; `spoiler`: the
  // original, hidden behind a CSS blur until Reveal.
  const blurred = o.safety?.action === 'blur' && o.safety.original_url;
  const spoiler = o.safety?.action === 'spoiler';
  if (blurred || spoiler) {
    const hiddenSrc = media.src;
    let originalSrc;
    media.classList.toggle('spoiler', spoiler);
    const reveal = el('button', { type: 'button', className: 'reveal', textContent: tr('reveal') });
    reveal.setAttribute('aria-pressed', 'false');
    reveal.addEventListener('click', async () => {
      const showing = reveal.getAttribute('aria-pressed') === 'true';
      if (blurred) {
        if (!showing) originalSrc ??= await blobUrl(o.safety.original_url);
        media.src = showing ? hiddenSrc : originalSrc;
      } else media.classList.toggle('spoiler', showing);
      reveal.setAttribute('aria-pressed', String(!showing));
      reveal.textContent = tr(showing ? 'reveal' : 'hide');
    });
    f.append(note(tr(blurred ? 'blurred' : 'spoilered')), reveal);
  }
  f.append(el('figcaption', { textContent: caption }));
  return f;
}

async function loadGallery() {
  try {
    const { jobs } = await (await api('/api/relay/jobs?limit=12')).json();
    const done = jobs.filter((j) => j.state === 'succeeded' && j.outputs.some(visual));
    const figures = await Promise.all(
      done.map((j) => outputFigure(j.outputs.find(visual), `${j.prompt} · ${tr('seed', { seed: j.seed })}`)),
    );
    $('gallery').replaceChildren(
      ...(figures.length
        ? figures
        : [Object.assign(document.createElement('p'), { className: 'hint', textContent: tr('empty') })]),
    );
  } catch {}
}

let current;
async function follow(job) {
  const res = await api(`/api/relay/jobs/${job.id}/events`, { headers: { Accept: 'text/event-stream' } });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
      const frame = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = 'message';
      let data = '';
      for (const line of frame.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data += line.slice(5).trim();
      }
      if (data) await onEvent(job, event, JSON.parse(data));
    }
  }
}

async function onEvent(job, event, d) {
  if (event === 'status') {
    if (d.status === 'queued')
      $('status').textContent =
        d.queue_position == null ? tr('starting') : tr('queued', { p: d.queue_position + 1 });
    else if (d.status === 'running') $('status').textContent = tr('starting');
    else if (d.status === 'canceling') $('status').textContent = tr('canceling');
    else await finished(job.id);
  } else if (event === 'progress') {
    $('bar').value = d.value;
    $('status').textContent = tr('running', { pct: Math.round(d.value * 100) });
  } else if (event === 'preview') {
    $('preview').src = `data:${d.content_type};base64,${d.data_base64}`;
    $('preview').hidden = false;
  } else if (event === 'output' && visual(d)) {
    $('results').append(await outputFigure(d, d.name));
  }
}

async function finished(id) {
  const job = await (await api(`/api/relay/jobs/${id}`)).json();
  $('cancel').hidden = true;
  $('go').disabled = false;
  $('preview').hidden = true;
  current = undefined;
  if (job.state === 'succeeded') {
    $('bar').value = 1;
    $('status').textContent = tr('succeeded', { seed: job.seed });
    for (const f of $('results').querySelectorAll('figcaption'))
      f.textContent += ` · ${tr('seed', { seed: job.seed })}`;
  } else {
    $('status').textContent =
      job.state === 'failed' ? tr('failed', { msg: job.error?.message ?? '' }) : tr(job.state);
  }
  void loadGallery();
}

$('form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('go').disabled = true;
  $('job').hidden = false;
  $('results').replaceChildren();
  $('bar').value = 0;
  $('status').textContent = tr('starting');
  try {
    const body = JSON.stringify({ prompt: $('prompt').value, template: $('template').value || undefined });
    const job = await (
      await api('/api/relay/imagine', {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/json' },
      })
    ).json();
    current = job.id;
    $('cancel').hidden = false;
    await follow(job);
  } catch (err) {
    $('status').textContent = tr('error', { msg: err.message });
    $('go').disabled = false;
    $('cancel').hidden = true;
  }
});

$('cancel').addEventListener('click', async () => {
  if (!current) return;
  $('status').textContent = tr('canceling');
  await api(`/api/relay/jobs/${current}/cancel`, { method: 'POST' }).catch(() => undefined);
});

void loadTemplates();
void loadGallery();
