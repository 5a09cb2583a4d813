// A port of execution.py validate_prompt / validate_inputs (0.3.64), including its quirks.
import { PyError, pyBool, pyFloat, pyFloatStr, pyInt, pyRepr, pyStr } from './python.ts';
import type { Catalog, ComfyVersion, JsonObject, JsonValue, NodeDef, PromptGraph } from './types.ts';

type ErrorObj = { type: string; message: string; details: string; extra_info: JsonObject };
type Validated = [boolean, ErrorObj[], string];
export type NodeErrors = Record<
  string,
  { errors: ErrorObj[]; dependent_outputs: string[]; class_type: string }
>;

export type ValidationResult =
  | { ok: true; outputs: string[]; nodeErrors: NodeErrors }
  | { ok: false; error: ErrorObj; nodeErrors: NodeErrors };

export type ValidateContext = {
  catalog: Catalog;
  version: ComfyVersion;
  partialTargets?: string[];
  /** folder_paths.exists_annotated_filepath for LoadImage's VALIDATE_INPUTS. */
  inputExists: (name: string) => boolean;
};

/** Node classes whose VALIDATE_INPUTS takes these inputs (so the generic combo check is skipped for them). */
const CUSTOM_VALIDATORS: Record<string, string[]> = { LoadImage: ['image'], LoadImageMask: ['image'] };

const TB_INNER_KEY = [
  '  File "/srv/ComfyUI/execution.py", line 808, in validate_inputs\n    r = await validate_inputs(prompt_id, prompt, o_id, validated)\n        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n',
  '  File "/srv/ComfyUI/execution.py", line 788, in validate_inputs\n    o_class_type = prompt[o_id][\'class_type\']\n                   ~~~~~~^^^^^^\n',
];
const TB_INNER_INDEX = [
  TB_INNER_KEY[0] as string,
  '  File "/srv/ComfyUI/execution.py", line 790, in validate_inputs\n    received_type = r[val[1]]\n                    ~^^^^^^^^\n',
];

function isObject(v: unknown): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function tracebackFor(e: PyError, outer: boolean): string[] {
  const inner = e.pyType === 'IndexError' || e.pyType === 'TypeError' ? TB_INNER_INDEX : TB_INNER_KEY;
  return outer ? inner : inner.slice(1);
}

function toPyError(e: unknown): PyError {
  if (e instanceof PyError) return e;
  return new PyError('Exception', e instanceof Error ? e.message : String(e));
}

function getNode(prompt: PromptGraph, id: JsonValue): Record<string, JsonValue> {
  const node = typeof id === 'string' && Object.hasOwn(prompt, id) ? prompt[id] : undefined;
  if (!node) throw new PyError('KeyError', pyRepr(id));
  return node as Record<string, JsonValue>;
}

function returnTypeAt(types: JsonValue[], index: JsonValue): JsonValue {
  if (typeof index !== 'number' || !Number.isInteger(index)) {
    const t = typeof index === 'number' ? 'float' : typeof index === 'string' ? 'str' : 'list';
    throw new PyError('TypeError', `tuple indices must be integers or slices, not ${t}`);
  }
  const i = index < 0 ? types.length + index : index;
  if (i < 0 || i >= types.length) throw new PyError('IndexError', 'tuple index out of range');
  return types[i] as JsonValue;
}

export function validateNodeInput(received: JsonValue, input: JsonValue): boolean {
  if (JSON.stringify(received) === JSON.stringify(input)) return true;
  if (typeof received !== 'string' || typeof input !== 'string') return false;
  const r = new Set(received.split(',').map((t) => t.trim()));
  const i = new Set(input.split(',').map((t) => t.trim()));
  if (r.has('*') || i.has('*')) return true;
  return [...r].some((t) => i.has(t));
}

function fmtBound(v: JsonValue | undefined, type: JsonValue): string {
  if (typeof v === 'number' && type === 'FLOAT') return pyFloatStr(v);
  return pyStr(v ?? null);
}

function specOf(def: NodeDef, name: string): { type: JsonValue; category: string; extra: JsonObject } {
  for (const category of ['required', 'optional'] as const) {
    const spec = def.input[category]?.[name];
    if (spec)
      return { type: spec[0] ?? null, category, extra: (isObject(spec[1]) ? spec[1] : {}) as JsonObject };
  }
  return { type: null, category: 'required', extra: {} };
}

function inputNames(def: NodeDef): string[] {
  const names = [...Object.keys(def.input.required ?? {}), ...Object.keys(def.input.optional ?? {})];
  return [...new Set(names)];
}

class Validator {
  readonly validated = new Map<string, Validated>();
  private readonly prompt: PromptGraph;
  private readonly ctx: ValidateContext;
  constructor(prompt: PromptGraph, ctx: ValidateContext) {
    this.prompt = prompt;
    this.ctx = ctx;
  }

  validateInputs(id: string): Validated {
    const cached = this.validated.get(id);
    if (cached) return cached;
    const node = getNode(this.prompt, id);
    if (!isObject(node.inputs)) throw new PyError('KeyError', "'inputs'");
    const inputs = node.inputs;
    const classType = String(node.class_type);
    const def = this.ctx.catalog[classType] as NodeDef;
    const customInputs = CUSTOM_VALIDATORS[classType] ?? [];
    const errors: ErrorObj[] = [];
    let valid = true;

    for (const x of inputNames(def)) {
      const { type, category, extra } = specOf(def, x);
      const info: JsonValue = [type, extra];
      if (!Object.hasOwn(inputs, x)) {
        if (category === 'required') {
          errors.push({
            type: 'required_input_missing',
            message: 'Required input is missing',
            details: x,
            extra_info: { input_name: x },
          });
        }
        continue;
      }
      let val = inputs[x] as JsonValue;
      if (Array.isArray(val)) {
        if (val.length !== 2) {
          errors.push({
            type: 'bad_linked_input',
            message: 'Bad linked input, must be a length-2 list of [node_id, slot_index]',
            details: x,
            extra_info: { input_name: x, input_config: info, received_value: val },
          });
          continue;
        }
        const [oId, slot] = val as [JsonValue, JsonValue];
        const oClass = String(getNode(this.prompt, oId).class_type);
        const oDef = this.ctx.catalog[oClass];
        const receivedType = returnTypeAt(oDef?.output ?? [], slot);
        if (!validateNodeInput(receivedType, type)) {
          errors.push({
            type: 'return_type_mismatch',
            message: 'Return type mismatch between linked nodes',
            details: `${x}, received_type(${pyStr(receivedType)}) mismatch input_type(${pyStr(type)})`,
            extra_info: { input_name: x, input_config: info, received_type: receivedType, linked_node: val },
          });
          continue;
        }
        try {
          const r = this.validateInputs(oId as string);
          if (!r[0]) valid = false;
        } catch (e) {
          const err = toPyError(e);
          valid = false;
          this.validated.set(oId as string, [
            false,
            [
              {
                type: 'exception_during_inner_validation',
                message: 'Exception when validating inner node',
                details: err.message,
                extra_info: {
                  input_name: x,
                  input_config: info,
                  exception_message: err.message,
                  exception_type: err.pyType,
                  traceback: tracebackFor(err, true),
                  linked_node: val,
                },
              },
            ],
            oId as string,
          ]);
        }
        continue;
      }
      const original = val;
      try {
        if (isObject(val) && Object.hasOwn(val, '__value__')) val = val.__value__ as JsonValue;
        if (type === 'INT') val = pyInt(val);
        if (type === 'FLOAT') val = pyFloat(val);
        if (type === 'STRING') val = pyStr(val);
        if (type === 'BOOLEAN') val = pyBool(val);
        inputs[x] = val;
      } catch (e) {
        const err = toPyError(e);
        errors.push({
          type: 'invalid_input_type',
          message: `Failed to convert an input value to a ${pyStr(type)} value`,
          details: `${x}, ${pyStr(original)}, ${err.message}`,
          extra_info: {
            input_name: x,
            input_config: info,
            received_value: original,
            exception_message: err.message,
          },
        });
        continue;
      }
      if (customInputs.includes(x)) continue;
      const min = extra.min;
      const max = extra.max;
      if (typeof min === 'number' && (val as number) < min) {
        errors.push({
          type: 'value_smaller_than_min',
          message: `Value ${fmtBound(val, type)} smaller than min of ${fmtBound(min, type)}`,
          details: x,
          extra_info: { input_name: x, input_config: info, received_value: val },
        });
        continue;
      }
      if (typeof max === 'number' && (val as number) > max) {
        errors.push({
          type: 'value_bigger_than_max',
          message: `Value ${fmtBound(val, type)} bigger than max of ${fmtBound(max, type)}`,
          details: x,
          extra_info: { input_name: x, input_config: info, received_value: val },
        });
        continue;
      }
      const options = this.comboOptions(type, extra);
      if (options && !this.inCombo(val, options, extra)) {
        const long = options.length > 20;
        errors.push({
          type: 'value_not_in_list',
          message: 'Value not in list',
          details: `${x}: '${pyStr(val)}' not in ${long ? `(list of length ${options.length})` : pyRepr(options)}`,
          extra_info: { input_name: x, input_config: long ? null : info, received_value: val },
        });
      }
    }

    for (const x of customInputs) {
      const value = inputs[x];
      if (typeof value !== 'string' || this.ctx.inputExists(value)) continue;
      errors.push({
        type: 'custom_validation_failed',
        message: 'Custom validation failed for node',
        details: `${x} - Invalid image file: ${value}`,
        extra_info: { input_name: x },
      });
    }

    const ret: Validated = errors.length > 0 || !valid ? [false, errors, id] : [true, [], id];
    this.validated.set(id, ret);
    return ret;
  }

  private comboOptions(type: JsonValue, extra: JsonObject): JsonValue[] | undefined {
    if (Array.isArray(type)) return type;
    // 0.3.64 never checks V3 "COMBO" inputs; newer servers do, except remote combos.
    if (this.ctx.version === 'newest' && type === 'COMBO' && !extra.remote && Array.isArray(extra.options)) {
      return extra.options;
    }
    return undefined;
  }

  private inCombo(val: JsonValue, options: JsonValue[], extra: JsonObject): boolean {
    const has = (v: JsonValue) => options.some((o) => o === v);
    if (this.ctx.version === 'newest' && extra.multiselect && Array.isArray(val)) return val.every(has);
    return has(val);
  }
}

function missingClassError(version: ComfyVersion, id: string, node: Record<string, JsonValue>): ErrorObj {
  const classType = node.class_type;
  const title = isObject(node._meta) && typeof node._meta.title === 'string' ? node._meta.title : undefined;
  if (version === 'newest') {
    const message =
      classType === undefined
        ? `Node '${title ?? `ID #${id}`}' has no class_type. The workflow may be corrupted or a custom node is missing.`
        : `Node '${title ?? pyStr(classType)}' not found. The custom node may not be installed.`;
    return {
      type: 'missing_node_type',
      message,
      details: `Node ID '#${id}'`,
      extra_info: {
        node_id: id,
        class_type: classType ?? null,
        node_title: title ?? pyStr(classType ?? null),
      },
    };
  }
  return {
    type: 'invalid_prompt',
    message:
      classType === undefined
        ? 'Cannot execute because a node is missing the class_type property.'
        : `Cannot execute because node ${pyStr(classType)} does not exist.`,
    details: `Node ID '#${id}'`,
    extra_info: {},
  };
}

/** Throws (→ HTTP 500) for bodies that crash the real server, e.g. a prompt that is a string. */
export function validatePrompt(promptValue: JsonValue, ctx: ValidateContext): ValidationResult {
  if (typeof promptValue !== 'object' || promptValue === null) {
    throw new PyError('TypeError', `'${typeof promptValue}' object is not iterable`);
  }
  // Iterating a list yields no node ids, so `[]` ends up as prompt_no_outputs.
  const prompt = (Array.isArray(promptValue) ? {} : promptValue) as PromptGraph;
  const outputs: string[] = [];
  for (const [id, node] of Object.entries(prompt)) {
    if (!isObject(node)) throw new PyError('TypeError', 'string indices must be integers');
    const classType = node.class_type;
    const def = typeof classType === 'string' ? ctx.catalog[classType] : undefined;
    if (!def) return { ok: false, error: missingClassError(ctx.version, id, node), nodeErrors: {} };
    if (def.output_node === true && (!ctx.partialTargets || ctx.partialTargets.includes(id)))
      outputs.push(id);
  }
  if (outputs.length === 0) {
    return {
      ok: false,
      error: { type: 'prompt_no_outputs', message: 'Prompt has no outputs', details: '', extra_info: {} },
      nodeErrors: {},
    };
  }
  const v = new Validator(prompt, ctx);
  const good: string[] = [];
  const failed: [string, ErrorObj[]][] = [];
  const nodeErrors: NodeErrors = {};
  for (const o of outputs) {
    let valid: boolean;
    let reasons: ErrorObj[];
    try {
      [valid, reasons] = v.validateInputs(o);
    } catch (e) {
      const err = toPyError(e);
      valid = false;
      reasons = [
        {
          type: 'exception_during_validation',
          message: 'Exception when validating node',
          details: err.message,
          extra_info: { exception_type: err.pyType, traceback: tracebackFor(err, false) },
        },
      ];
      v.validated.set(o, [false, reasons, o]);
    }
    if (valid) {
      good.push(o);
      continue;
    }
    failed.push([o, reasons]);
    for (const [nodeId, [ok, rs]] of v.validated) {
      if (ok || rs.length === 0) continue;
      nodeErrors[nodeId] ??= {
        errors: rs,
        dependent_outputs: [],
        class_type: String(prompt[nodeId]?.class_type),
      };
      nodeErrors[nodeId].dependent_outputs.push(o);
    }
  }
  if (good.length === 0) {
    const details = failed.flatMap(([, rs]) => rs.map((r) => `${r.message}: ${r.details}`)).join('\n');
    return {
      ok: false,
      error: {
        type: 'prompt_outputs_failed_validation',
        message: 'Prompt outputs failed validation',
        details,
        extra_info: {},
      },
      nodeErrors,
    };
  }
  return { ok: true, outputs: good, nodeErrors };
}
