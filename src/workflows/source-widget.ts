import type { WalkContext } from './binding.ts';
import { asLink } from './graph.ts';
import { PRIMITIVE_NODES, PRIMITIVE_WIDGET_NAMES } from './node-classes.ts';
import { declaredInputs, outputSlot, typeName } from './object-info.ts';

export type ValueType = 'string' | 'number';

export type WidgetChoice = { ok: true; widget: string } | { ok: false; reason: string };

const NUMBER_TYPES = new Set(['INT', 'FLOAT']);
const STRING_TYPES = new Set(['STRING', 'COMBO']);

/**
 * Which widget of a source node holds the value that its output `output` feeds into `wanted`: the one
 * named like that output (/object_info `output_name`), else like the input it feeds, else the one whose
 * name contains either as a word (`steps_total` → steps), else a primitive's value widget, else the only
 * widget of the type. Seed generators, prompt stylers and sampler config nodes have several widgets.
 */
export function sourceWidget(
  ctx: WalkContext,
  id: string,
  output: number,
  wanted: string,
  type: ValueType,
): WidgetChoice {
  const node = ctx.graph[id]!;
  const info = ctx.objectInfo?.[node.class_type];
  const declared = info ? declaredInputs(info) : undefined;
  const accepts = type === 'number' ? NUMBER_TYPES : STRING_TYPES;
  const widgets = Object.keys(node.inputs).filter((name) => {
    const d = declared?.get(name);
    if (d) return accepts.has(typeName(d));
    return typeof node.inputs[name] === type;
  });
  if (widgets.length === 0) return { ok: false, reason: `which has no ${type} widget` };
  const outName = outputSlot(info, output)?.name.toLowerCase();
  const names = [outName, wanted.toLowerCase()].filter((n): n is string => n !== undefined);
  for (const name of names) {
    const exact = widgets.find((w) => w.toLowerCase() === name);
    if (exact) return { ok: true, widget: exact };
  }
  const byWord = widgets.filter((w) => names.some((n) => w.toLowerCase().split('_').includes(n)));
  if (byWord.length === 1) return { ok: true, widget: byWord[0]! };
  const takesLinks = Object.values(node.inputs).some((v) => asLink(v) !== undefined);
  const primitive = PRIMITIVE_NODES.has(node.class_type) || !takesLinks;
  const named = PRIMITIVE_WIDGET_NAMES.find((n) => widgets.includes(n));
  if (primitive && named) return { ok: true, widget: named };
  if (primitive && widgets.length === 1) return { ok: true, widget: widgets[0]! };
  const like =
    outName && outName !== wanted.toLowerCase() ? `"${wanted}" or its output "${outName}"` : `"${wanted}"`;
  if (!primitive && byWord.length === 0) {
    return {
      ok: false,
      reason: `which computes its value from other nodes and has no ${type} widget named like ${like}`,
    };
  }
  const unknown = info
    ? ''
    : ctx.objectInfo
      ? ' (its class is not in /object_info)'
      : ' (no /object_info was given)';
  return {
    ok: false,
    reason: `which has several ${type} widgets (${(byWord.length > 1 ? byWord : widgets).join(', ')}) and none is named like ${like}${unknown}`,
  };
}
