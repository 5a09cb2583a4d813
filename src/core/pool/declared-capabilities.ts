import type { UserMessage } from '#shared/i18n.ts';
import { WorkflowCodes } from '../../workflows/index.ts';

/** What an operator says a backend can run when the service does not list it. */
export interface DeclaredCapabilities {
  nodes?: readonly string[];
  models?: readonly string[];
}

const MODEL_FILE = /\.(safetensors|ckpt|pt|pth|bin|gguf|sft|onnx)$/i;

/**
 * Problems of a workflow on a backend judged by its declaration alone: node classes not declared, and
 * model files (inputs naming a `.safetensors`, `.ckpt`…) not declared. An absent list is not judged.
 */
export function declaredProblems(
  workflow: Record<string, unknown>,
  declared: DeclaredCapabilities,
): UserMessage[] {
  const problems: UserMessage[] = [];
  const nodes = declared.nodes ? new Set(declared.nodes) : undefined;
  const models = declared.models ? new Set(declared.models) : undefined;
  for (const [node, value] of Object.entries(workflow)) {
    const { class_type, inputs } = (value ?? {}) as { class_type?: string; inputs?: Record<string, unknown> };
    if (nodes && class_type && !nodes.has(class_type)) {
      problems.push({ code: WorkflowCodes.unknownNode, params: { node, class: class_type } });
      continue;
    }
    if (!models) continue;
    for (const [input, v] of Object.entries(inputs ?? {})) {
      if (typeof v !== 'string' || !MODEL_FILE.test(v) || models.has(v)) continue;
      const choices = [...models].slice(0, 10).join(', ');
      problems.push({
        code: WorkflowCodes.badChoice,
        params: { node, class: class_type ?? '?', input, value: v, choices },
      });
    }
  }
  return problems;
}
