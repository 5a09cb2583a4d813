import { comboOptions, type DeclaredInput, declaredInputs, type NodeInfo, typeName } from '../object-info.ts';
import type { FlatNode } from './ui-graph.ts';

export type NamedValues =
  | { ok: true; values: Record<string, unknown>; warnings: string[] }
  | { ok: false; reason: string };

const WIDGET_TYPES = new Set(['INT', 'FLOAT', 'STRING', 'BOOLEAN', 'COMBO']);
/** The frontend's extra widget after a seed: what to do with the seed after each run. */
const CONTROL_VALUES = new Set(['fixed', 'increment', 'decrement', 'randomize']);
const SEED_NAMES = new Set(['seed', 'noise_seed']);
/** The value of the frontend's upload button after an image/video/audio combo (LoadImage: "image"). */
const UPLOAD_VALUES = new Set(['image', 'video', 'audio']);
const UPLOAD_OPTIONS = ['image_upload', 'video_upload', 'audio_upload', 'animated_image_upload'];

interface Widget {
  name: string;
  declared?: DeclaredInput;
  control: boolean;
  upload: boolean;
}

/**
 * Names a node's `widgets_values`. With /object_info, the widgets are its inputs of widget types in input
 * order (required, then optional), except `forceInput` ones; a seed/noise_seed (or
 * `control_after_generate`) INT is followed by the "control after generate" value and an upload combo by
 * the upload button's value, both skipped. Without /object_info, the names come from the inputs the
 * newer frontend writes for each widget (`widget: {name}`), and must account for every value.
 */
export function namedWidgetValues(node: FlatNode, info: NodeInfo | undefined): NamedValues {
  const raw = node.node.widgets_values ?? [];
  const widgets = info ? declaredWidgets(info) : savedWidgets(node);
  if (!Array.isArray(raw)) return byName(raw, widgets);
  if (!info && raw.length > 0 && widgets.length === 0) {
    return { ok: false, reason: `its ${raw.length} widget value(s) have no names in the file` };
  }
  const values: Record<string, unknown> = {};
  const warnings: string[] = [];
  let i = 0;
  for (const [w, widget] of widgets.entries()) {
    if (i >= raw.length) {
      const fallback = widget.declared?.options['default'];
      if (fallback === undefined || !info) {
        return { ok: false, reason: `it has ${raw.length} widget values but needs one for "${widget.name}"` };
      }
      values[widget.name] = fallback;
      warnings.push(
        `"${widget.name}" is missing from the saved values; its default ${JSON.stringify(fallback)} is used`,
      );
      continue;
    }
    values[widget.name] = raw[i++];
    const extrasLeft = raw.length - i > widgets.length - w - 1;
    const next = raw[i];
    if (
      widget.control &&
      CONTROL_VALUES.has(next as string) &&
      (extrasLeft || !accepts(widgets[w + 1], next))
    )
      i++;
    else if (widget.upload && UPLOAD_VALUES.has(next as string) && extrasLeft) i++;
  }
  if (i < raw.length) {
    const extra = raw.length - i;
    if (!info) return { ok: false, reason: `${extra} of its widget values have no name in the file` };
    warnings.push(`${extra} widget value(s) after its ${widgets.length} declared widgets were ignored`);
  }
  return { ok: true, values, warnings };
}

/** Whether `value` can be the value of `widget` (one without a declaration accepts anything). */
function accepts(widget: Widget | undefined, value: unknown): boolean {
  if (!widget?.declared) return widget !== undefined;
  const type = typeName(widget.declared);
  if (type === 'STRING') return true;
  if (type === 'COMBO') return comboOptions(widget.declared)?.includes(String(value)) ?? true;
  return false;
}

/**
 * Some custom nodes (Video Helper Suite) save their widgets as an object by name, including widgets their
 * frontend code adds (`pix_fmt`, `crf` per format), which the API export keeps; previews (objects) are not
 * widget values.
 */
function byName(raw: Record<string, unknown>, widgets: Widget[]): NamedValues {
  const values: Record<string, unknown> = {};
  for (const { name, declared } of widgets) {
    const value = raw[name] ?? declared?.options['default'];
    if (value !== undefined) values[name] = value;
  }
  for (const [name, value] of Object.entries(raw)) {
    if (!(name in values) && ['string', 'number', 'boolean'].includes(typeof value)) values[name] = value;
  }
  return { ok: true, values, warnings: [] };
}

function declaredWidgets(info: NodeInfo): Widget[] {
  const out: Widget[] = [];
  for (const [name, declared] of declaredInputs(info)) {
    const type = typeName(declared);
    if (!WIDGET_TYPES.has(type) || declared.options['forceInput'] === true) continue;
    out.push({
      name,
      declared,
      control:
        type === 'INT' && (SEED_NAMES.has(name) || declared.options['control_after_generate'] === true),
      upload: UPLOAD_OPTIONS.some((o) => declared.options[o] === true),
    });
  }
  return out;
}

function savedWidgets(node: FlatNode): Widget[] {
  return node.inputs
    .filter((input) => input.widget !== undefined)
    .map((input) => ({
      name: input.widget!,
      control: SEED_NAMES.has(input.widget!),
      upload: node.node.type === 'LoadImage',
    }));
}
