/** The parts of ComfyUI's `GET /object_info` that workflows use (see comfyui-protocol.md §7). */
export interface NodeInfo {
  input?: {
    required?: Record<string, unknown>;
    optional?: Record<string, unknown>;
    hidden?: unknown;
  };
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

export function declaredInputs(info: NodeInfo): Map<string, DeclaredInput> {
  const out = new Map<string, DeclaredInput>();
  const add = (section: Record<string, unknown> | undefined, required: boolean) => {
    for (const [name, spec] of Object.entries(section ?? {})) {
      if (!Array.isArray(spec)) continue;
      const options = spec[1];
      out.set(name, {
        type: spec[0],
        options: typeof options === 'object' && options !== null ? (options as Record<string, unknown>) : {},
        required,
      });
    }
  };
  add(info.input?.required, true);
  add(info.input?.optional, false);
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

export function isOutputNode(
  classType: string,
  objectInfo: ObjectInfo | undefined,
  known: ReadonlySet<string>,
): boolean {
  return objectInfo?.[classType]?.output_node === true || known.has(classType);
}
