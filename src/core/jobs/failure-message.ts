import type { ComfyExecutionErrorInfo } from '../../comfy/index.ts';
import type { UserMessage } from '#shared/i18n.ts';

/** A ComfyUI runtime error as a message its owner can act on: which node, which error, why. */
export function failureMessage(error: ComfyExecutionErrorInfo): UserMessage {
  const firstLine = error.message.split('\n').find((l) => l.trim()) ?? error.exceptionType;
  if (/out of memory|CUDA out of memory|OutOfMemory/i.test(`${error.exceptionType} ${error.message}`)) {
    return { code: 'jobs.outOfMemory', params: { node: error.nodeType ?? error.node ?? '?' } };
  }
  return {
    code: 'jobs.failedInNode',
    params: {
      node: error.nodeType ?? '?',
      nodeId: error.node ?? '?',
      type: error.exceptionType,
      reason: firstLine.slice(0, 300),
    },
  };
}
