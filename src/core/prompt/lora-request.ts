import type { UserMessage } from '#shared/i18n.ts';
import { err, ok, type Result } from '#shared/result.ts';
import { takesLoras } from '../../workflows/insert-loras.ts';
import { installedLoras, unionOf } from '../../workflows/installed-models.ts';
import { loraLimits, mayChoose } from '../../workflows/model-mapping.ts';
import { findModelFile } from '../../workflows/model-names.ts';
import { mainSlot } from '../../workflows/model-slots.ts';
import type { LoraChoice, WorkflowTemplate } from '../../workflows/types.ts';
import { type FlagInput, standardFlag } from './grammar/index.ts';
import { listForMessage } from './grammar/messages.ts';
import { catalogsFor, type ModelSource } from './installed-catalog.ts';

/** A LoRA as written: `<lora:name:0.8>` in the prompt, `--lora name:0.8`, or a typed `{name, strength}`. */
export interface LoraSpec {
  name: string;
  /** As written (text) or given (typed); absent: the operator's default strength. */
  strength?: string | number;
  /** How messages quote it: `<lora:name:0.8>`, `--lora name:0.8`. */
  written: string;
}

const PROMPT_TAG = /<lora:([^<>]*)>/gi;

/**
 * Takes the `<lora:…>` tags out of the prompt (the text they leave is tidied: no doubled commas or
 * spaces) and the `--lora` flags out of the flags; typed LoRAs, when given, replace the `--lora` flags.
 */
export function takeLoras(
  prompt: string,
  flags: readonly FlagInput[],
  typed?: readonly { name: string; strength?: number }[],
): { prompt: string; flags: FlagInput[]; specs: LoraSpec[] } {
  const specs: LoraSpec[] = [];
  const cleaned = prompt.replace(PROMPT_TAG, (whole, body: string) => {
    specs.push({ ...split(body), written: whole });
    return ' ';
  });
  const isLora = (f: FlagInput) => standardFlag(f.name)?.kind === 'lora';
  if (typed) specs.push(...typed.map((l) => ({ ...l, written: l.name })));
  else {
    for (const f of flags.filter(isLora))
      specs.push({ ...split(String(f.value)), written: `--lora ${f.value}` });
  }
  return { prompt: specs.length > 0 ? tidy(cleaned) : prompt, flags: flags.filter((f) => !isLora(f)), specs };
}

function split(body: string): { name: string; strength?: string } {
  const parts = body.split(':');
  const name = (parts.length > 2 ? parts.slice(0, -1).join(':') : (parts[0] ?? '')).trim();
  const strength = parts.length > 1 ? parts.at(-1)?.trim() : undefined;
  return strength === undefined || strength === '' ? { name } : { name, strength };
}

function tidy(text: string): string {
  return text
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*,(\s*,)+/g, ',')
    .replace(/\s+,/g, ',')
    .replace(/^[\s,]+|[\s,]+$/g, '');
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * Checks the LoRAs of a request for `template`: how many, each strength within the operator's range, each
 * name an installed LoRA (fuzzy, with the nearest suggested) on a backend that can run the template and
 * allowed there. With no backend catalogue known, names are kept as written.
 */
export function resolveLoras(
  specs: readonly LoraSpec[],
  template: WorkflowTemplate,
  source: ModelSource,
  communityId?: string,
): Result<LoraChoice[], UserMessage> {
  if (specs.length === 0) return ok([]);
  const limits = loraLimits(source.mapping);
  if (specs.length > limits.maxCount) {
    return err({ code: 'prompt.lora.tooMany', params: { count: specs.length, max: limits.maxCount } });
  }
  const main = mainSlot(template.slots);
  if (!main || !takesLoras(main)) {
    return err({ code: 'workflows.lora.unsupported', params: { template: template.name } });
  }
  const installed = unionOf(catalogsFor(source.backends, template).map((c) => installedLoras(c.objectInfo)));
  const place = { template: template.name, communityId };
  const choosable = installed.filter((f) => mayChoose(f, place, source.mapping));
  const out: LoraChoice[] = [];
  for (const spec of specs) {
    const lora = spec.written;
    if (spec.name === '') return err({ code: 'prompt.lora.syntax', params: { lora } });
    const strength = readStrength(spec, limits.defaultStrength);
    if (strength === undefined)
      return err({ code: 'prompt.lora.badStrength', params: { lora, value: String(spec.strength) } });
    if (strength < limits.minStrength || strength > limits.maxStrength) {
      const range = { min: limits.minStrength, max: limits.maxStrength };
      return err({ code: 'prompt.lora.strengthRange', params: { lora, value: strength, ...range } });
    }
    const name = installed.length === 0 ? ok(spec.name) : nameOf(spec.name, installed, choosable);
    if (!name.ok) return name;
    if (out.some((l) => l.name === name.value))
      return err({ code: 'prompt.lora.twice', params: { lora: name.value } });
    out.push({ name: name.value, strength });
  }
  return ok(out);
}

function readStrength(spec: LoraSpec, fallback: number): number | undefined {
  if (spec.strength === undefined) return fallback;
  if (typeof spec.strength === 'number') return Number.isFinite(spec.strength) ? spec.strength : undefined;
  return NUMBER.test(spec.strength) ? Number(spec.strength) : undefined;
}

function nameOf(
  value: string,
  installed: readonly string[],
  choosable: readonly string[],
): Result<string, UserMessage> {
  const match = findModelFile(value, choosable);
  if (match.kind === 'found') return ok(match.file);
  if (match.kind === 'ambiguous') {
    return err({
      code: 'prompt.lora.ambiguous',
      params: { lora: value, files: listForMessage(match.files, 8) },
    });
  }
  const anywhere = findModelFile(value, installed);
  if (anywhere.kind === 'found')
    return err({ code: 'prompt.lora.notAllowed', params: { lora: anywhere.file } });
  if (match.suggestion)
    return err({ code: 'prompt.lora.unknownSuggest', params: { lora: value, suggestion: match.suggestion } });
  return err({
    code: 'prompt.lora.unknown',
    params: { lora: value, installed: listForMessage(choosable, 10) || '-' },
  });
}
