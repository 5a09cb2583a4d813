/** The parts of ComfyUI's `GET /object_info` that workflows use (see comfyui-protocol.md §7). */
export interface NodeInfo {
  input?: {
    required?: Record<string, unknown>;
    optional?: Record<string, unknown>;
    hidden?: unknown;
  };
  input_order?: { required?: string[]; optional?: string[] };
  /** Output types; a combo output is the list of its options. */
  output?: unknown[];
  output_name?: string[];
  output_node?: boolean;
  python_module?: string;
  display_name?: string;
}

export type ObjectInfo = Record<string, NodeInfo>;

/** The spec of one declared input, `[type, options?]`, with whether it is required. */
export interface DeclaredInput {
  type: unknown;
  options: Record<string, unknown>;
  required: boolean;
}

/** Declared inputs in the order the frontend lays out widgets: required, then optional (`input_order` first). */
export function declaredInputs(info: NodeInfo): Map<string, DeclaredInput> {
  const out = new Map<string, DeclaredInput>();
  const add = (
    section: Record<string, unknown> | undefined,
    order: string[] | undefined,
    required: boolean,
  ) => {
    const names = [...(order ?? []), ...Object.keys(section ?? {})];
    for (const name of names) {
      const spec = section?.[name];
      if (out.has(name) || !Array.isArray(spec)) continue;
      const options = spec[1];
      out.set(name, {
        type: spec[0],
        options: typeof options === 'object' && options !== null ? (options as Record<string, unknown>) : {},
        required,
      });
    }
  };
  add(info.input?.required, info.input_order?.required, true);
  add(info.input?.optional, info.input_order?.optional, false);
  return out;
}

/**
 * The allowed values of a combo input, or undefined when the input is not a combo or its options are
 * fetched remotely. Handles both forms: legacy `[[...options], {…}]` and `["COMBO", {options: […]}]`.
 */
export function comboOptions(input: DeclaredInput): string[] | undefined {
  if (Array.isArray(input.type)) return input.type.map(String);
  if (input.type === 'COMBO' && Array.isArray(input.options['options'])) {
    return (input.options['options'] as unknown[]).map(String);
  }
  return undefined;
}

/** `INT`, `IMAGE`…; `COMBO` for both combo forms. */
export function typeName(input: DeclaredInput): string {
  return Array.isArray(input.type) ? 'COMBO' : String(input.type);
}

/** The declared type of `input` on this class, or undefined when /object_info does not say. */
export function inputType(info: NodeInfo | undefined, input: string): string | undefined {
  const declared = info ? declaredInputs(info).get(input) : undefined;
  return declared ? typeName(declared) : undefined;
}

export interface OutputSlot {
  type: string;
  name: string;
}

/** Output `index` of a class: its type (`COMBO` for option lists) and its name. */
export function outputSlot(info: NodeInfo | undefined, index: number): OutputSlot | undefined {
  const type = info?.output?.[index];
  if (type === undefined) return undefined;
  const typeText = Array.isArray(type) ? 'COMBO' : String(type);
  return { type: typeText, name: info?.output_name?.[index] ?? typeText };
}
