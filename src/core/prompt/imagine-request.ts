import type { WorkflowTemplate } from '../../workflows/types.ts';
import type { CommunityPolicy } from '../chat/community-policy.ts';
import type { UserSettings } from '../chat/user-settings.ts';
import type { JobRequest, Requester } from '../jobs/types.ts';
import type { FlagValue } from './grammar/index.ts';

/** Where a request came from, as far as policy cares. */
export interface Place {
  communityId?: string;
  channelId?: string;
  /** Age-restricted channel (Discord), private chat, the HTTP API or the CLI: templates tagged `nsfw` are allowed. */
  nsfwAllowed: boolean;
}

/**
 * Values a front end's form gives typed (a slash option, a JSON field). Each one wins over the same
 * setting written as a `--flag` in the text; none is ever turned back into flag text.
 */
export interface ImagineOptions {
  /** Replaces the text before the flags. */
  prompt?: string;
  negative?: string;
  /** A template's name, alias, tag or family, as `--workflow` takes it. */
  template?: string;
  /** A template, or an installed model file of a usable template (fuzzy), as `--model` takes it. */
  model?: string;
  /** LoRAs to apply, as `--lora name:strength` (repeatable) takes them; replace the text's `--lora` flags. */
  loras?: readonly { name: string; strength?: number }[];
  /** `16:9` */
  aspect?: string;
  /** `768x1024` */
  size?: string;
  seed?: number;
  steps?: number;
  cfg?: number;
  denoise?: number;
  /** How many images: a batch, or repeated jobs on a template without a batch parameter (`--n`). */
  count?: number;
  sampler?: string;
  scheduler?: string;
  /** Any template parameter by its manifest name (`lora_strength`, `width`, `sampler_name`). */
  params?: Readonly<Record<string, FlagValue>>;
}

/** An input image as received: its bytes are checked by the pipeline, not trusted. */
export interface GivenImage {
  bytes: Uint8Array;
  /** A file name, when there is one (the CLI's `--image`): stands in as the prompt of a template taking none. */
  name?: string;
}

/** Everything that decides what one `/imagine` means, from any front end. */
export interface ImagineRequest {
  /** Prompt text with `--flags` (a slash option, a message, a caption, the HTTP `prompt`, the CLI line). */
  text: string;
  options?: ImagineOptions;
  image?: GivenImage;
  requester: Requester;
  place: Place;
  /** The community's rules (`DEFAULT_POLICY` outside a community). */
  policy: CommunityPolicy;
  /** The person's saved defaults (workflow, aspect, steps); preferences, never a cause of refusal. */
  settings?: UserSettings;
}

export interface CheckedImage {
  bytes: Uint8Array;
  /** From the bytes, not from a name or a declared type. */
  mime: string;
  width: number;
  height: number;
}

/** What an accepted `/imagine` submits. */
export interface ImaginePlan {
  template: WorkflowTemplate;
  /**
   * One request, or several when `--n N` asks for more images than the template's batch parameter can
   * give (it has none): N requests with successive seeds (random ones when no seed was given).
   */
  requests: JobRequest[];
  /** Present exactly when the template takes an input image. */
  image?: CheckedImage;
}
