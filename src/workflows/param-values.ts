import { err, ok, type Result } from '#shared/result.ts';
import { listChoices, WorkflowCodes, type WorkflowError } from './errors.ts';
import type { ParamSpec } from './types.ts';

type Value = string | number | boolean;

/**
 * Checks one value against its spec (kind, min/max, choices). Strings holding a number or `true`/`false`
 * are accepted for numeric and boolean parameters, so CLI and HTTP query values need no pre-parsing.
 */
export function validateParamValue(spec: ParamSpec, raw: Value): Result<Value, WorkflowError> {
  const param = spec.name;
  switch (spec.kind) {
    case 'text':
    case 'image':
      return typeof raw === 'string' ? ok(raw) : wrongType(param, spec.kind);
    case 'boolean': {
      const value = raw === 'true' ? true : raw === 'false' ? false : raw;
      return typeof value === 'boolean' ? ok(value) : wrongType(param, 'boolean');
    }
    case 'choice': {
      const value = String(raw);
      if (spec.choices && !spec.choices.includes(value)) {
        return err({
          code: WorkflowCodes.notAChoice,
          params: { param, value, choices: listChoices(spec.choices) },
        });
      }
      return ok(value);
    }
    case 'int':
    case 'float':
      return validateNumber(spec, raw);
  }
}

function validateNumber(spec: ParamSpec, raw: Value): Result<number, WorkflowError> {
  const param = spec.name;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value)) return wrongType(param, spec.kind);
  if (spec.kind === 'int' && !Number.isSafeInteger(value)) {
    return err({ code: WorkflowCodes.notInteger, params: { param, value } });
  }
  if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
    return err({ code: WorkflowCodes.outOfRange, params: { param, value, min: spec.min, max: spec.max } });
  }
  return ok(value);
}

function wrongType(param: string, expected: string): { ok: false; error: WorkflowError } {
  return err({ code: WorkflowCodes.wrongType, params: { param, expected } });
}

/** Validates every given value; names the template does not have are errors too. */
export function validateParamValues(
  params: Record<string, ParamSpec>,
  values: Record<string, Value>,
  asUser = false,
): Result<Record<string, Value>, WorkflowError> {
  const out: Record<string, Value> = {};
  for (const [name, raw] of Object.entries(values)) {
    const spec = params[name];
    if (!spec) {
      return err({
        code: WorkflowCodes.unknownParam,
        params: { param: name, known: Object.keys(params).join(', ') },
      });
    }
    if (asUser && !spec.userSettable)
      return err({ code: WorkflowCodes.notUserSettable, params: { param: name } });
    const checked = validateParamValue(spec, raw);
    if (!checked.ok) return checked;
    out[name] = checked.value;
  }
  return ok(out);
}
