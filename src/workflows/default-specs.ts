import type { Binding } from './binding.ts';
import type { DiscoveredName } from './discover.ts';
import { STOCK_SAMPLERS, STOCK_SCHEDULERS } from './node-classes.ts';
import { comboOptions, declaredInputs, type ObjectInfo } from './object-info.ts';
import { MAX_SEED, RANDOM_SEED } from './seed.ts';
import type { ApiWorkflow, ParamSpec } from './types.ts';

type Base = Omit<ParamSpec, 'name' | 'targets' | 'default'>;

/** Bounds are the community-sharing defaults; a manifest can widen or narrow them. */
const BASE: Record<DiscoveredName, Base> = {
  prompt: { kind: 'text', userSettable: true, description: { en: 'What to draw', zh: '要画的内容' } },
  negative: {
    kind: 'text',
    userSettable: true,
    description: { en: 'What to avoid', zh: '不希望出现的内容' },
  },
  seed: {
    kind: 'int',
    min: RANDOM_SEED,
    max: MAX_SEED,
    userSettable: true,
    description: { en: 'Random seed (-1: random)', zh: '随机种子（-1 为随机）' },
  },
  steps: {
    kind: 'int',
    min: 1,
    max: 100,
    userSettable: true,
    description: { en: 'Sampling steps', zh: '采样步数' },
  },
  cfg: {
    kind: 'float',
    min: 0,
    max: 30,
    userSettable: true,
    description: { en: 'Prompt guidance (CFG)', zh: '提示词引导强度（CFG）' },
  },
  sampler: {
    kind: 'choice',
    choices: STOCK_SAMPLERS,
    userSettable: true,
    description: { en: 'Sampler', zh: '采样器' },
  },
  scheduler: {
    kind: 'choice',
    choices: STOCK_SCHEDULERS,
    userSettable: true,
    description: { en: 'Scheduler', zh: '调度器' },
  },
  denoise: {
    kind: 'float',
    min: 0,
    max: 1,
    userSettable: true,
    description: { en: 'Denoise strength', zh: '重绘幅度' },
  },
  width: {
    kind: 'int',
    min: 64,
    max: 2048,
    step: 8,
    userSettable: true,
    description: { en: 'Width in pixels', zh: '宽度（像素）' },
  },
  height: {
    kind: 'int',
    min: 64,
    max: 2048,
    step: 8,
    userSettable: true,
    description: { en: 'Height in pixels', zh: '高度（像素）' },
  },
  batch: {
    kind: 'int',
    min: 1,
    max: 4,
    userSettable: true,
    description: { en: 'Images per job', zh: '每次生成的张数' },
  },
  checkpoint: { kind: 'choice', userSettable: false, description: { en: 'Model file', zh: '模型文件' } },
  image: { kind: 'image', userSettable: true, description: { en: 'Input image', zh: '输入图片' } },
  guidance: {
    kind: 'float',
    min: 0,
    max: 30,
    userSettable: true,
    description: { en: 'Flux guidance', zh: 'Flux 引导强度' },
  },
};

/**
 * The spec of a discovered parameter. Its default is the value the graph already holds (the prompt has
 * none; the seed defaults to random), and numeric bounds are widened so that value stays valid.
 */
export function defaultSpec(
  name: DiscoveredName,
  targets: readonly Binding[],
  graph: ApiWorkflow,
  objectInfo?: ObjectInfo,
): ParamSpec {
  const base = BASE[name];
  const first = targets[0];
  const current = first ? graph[first.node]?.inputs[first.input] : undefined;
  const spec: ParamSpec = { ...base, name, targets: targets.map(({ node, input }) => ({ node, input })) };
  const installed = first ? installedChoices(graph, first.node, first.input, objectInfo) : undefined;
  if (installed) spec.choices = installed;
  if (name === 'seed') spec.default = RANDOM_SEED;
  else if (name !== 'prompt' && isScalar(current)) spec.default = current;
  if (typeof current === 'number' && name !== 'seed') {
    if (spec.min !== undefined) spec.min = Math.min(spec.min, current);
    if (spec.max !== undefined) spec.max = Math.max(spec.max, current);
  }
  if (
    spec.kind === 'choice' &&
    spec.choices &&
    typeof current === 'string' &&
    !spec.choices.includes(current)
  ) {
    spec.choices = [...spec.choices, current];
  }
  return spec;
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function installedChoices(
  graph: ApiWorkflow,
  node: string,
  input: string,
  objectInfo: ObjectInfo | undefined,
): string[] | undefined {
  const info = objectInfo?.[graph[node]?.class_type ?? ''];
  const declared = info ? declaredInputs(info).get(input) : undefined;
  return declared ? comboOptions(declared) : undefined;
}
