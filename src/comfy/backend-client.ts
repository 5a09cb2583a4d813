import type { ApiWorkflow } from './api.ts';
import type { ComfyJobEvent, PromptOutcome } from './events.ts';
import type { ComfyFileRef } from './protocol.ts';

/** The kinds of backend ComfyRelay can drive: a ComfyUI server, or any Comfy API v2 deployment. */
export type BackendKind = 'comfyui' | 'comfy-api-v2';

/** A Comfy API v2 input reference, placed where a workflow would otherwise name a file. */
export interface AssetReference {
  __type: 'core/ASSET';
  info: { id: string; hash?: string; file_path?: string };
}

/**
 * What goes into an image input (LoadImage.image…) once the image is on the backend: the file name
 * ComfyUI keeps it under, or a `core/ASSET` reference on a Comfy API v2 deployment.
 */
export type InputImageRef = string | AssetReference;

export interface SubmitOptions {
  extraData?: Record<string, unknown>;
  /** Receives every event, including those that arrive before the submit returns. */
  onEvent?: (event: ComfyJobEvent) => void;
  /** Our own id (a lowercase UUID) so the prompt can be found again after any restart. */
  promptId?: string;
  /**
   * `promptId` may already be on this backend (an earlier dispatch of the same job whose answer was
   * lost): it is looked up first, and followed instead of submitted again when found.
   */
  mayExist?: boolean;
  /**
   * Comfy API v2: the `Idempotency-Key` of this submission (default: `promptId`). Derive it from the job
   * and its attempt so that a submit repeated after a crash or a 5xx can never run the job twice.
   * A ComfyUI backend ignores it: there `promptId` plays that part.
   */
  idempotencyKey?: string;
}

export interface PromptHandle {
  /**
   * The id to attach to and cancel with later; persist it. On a ComfyUI backend it is the `promptId`
   * given to `submit`; on a Comfy API v2 backend it is the job id the service assigned.
   */
  promptId: string;
  /** The number ComfyUI gave the prompt in its queue. */
  number?: number;
  done: Promise<PromptOutcome>;
  subscribe(listener: (event: ComfyJobEvent) => void): () => void;
}

/**
 * One backend as the job engine drives it, whatever its kind: submit a bound workflow and follow it
 * through `ComfyJobEvent`s to exactly one terminal outcome, watch it again after a restart, cancel it,
 * put an input image on the backend, read an output's bytes.
 *
 * Errors thrown by `submit` are `ComfyError`s with stable codes (see errors.ts and v2/errors.ts), so the
 * engine can tell "the workflow is wrong" from "this backend cannot take work now".
 */
export interface BackendClient {
  readonly kind: BackendKind;
  /** Where the backend is, safe to print (no credentials, no query). */
  readonly name: string;
  /** Ids of the prompts/jobs this client is following. */
  readonly inFlight: string[];
  /** Starts whatever the client keeps open; resolves true when ready (false after `timeoutMs`). */
  connect(timeoutMs?: number): Promise<boolean>;
  submit(workflow: ApiWorkflow, options?: SubmitOptions): Promise<PromptHandle>;
  /** Follows a prompt/job submitted earlier (before a restart, for instance) by the id its handle had. */
  attach(promptId: string, workflow?: ApiWorkflow, onEvent?: (e: ComfyJobEvent) => void): PromptHandle;
  /** Stops that one prompt/job and nothing else; its handle then settles `canceled` or `interrupted`. */
  cancel(promptId: string): Promise<void>;
  /** Puts an input image on the backend once per distinct content; returns the value for the input. */
  uploadImage(bytes: Uint8Array, extension?: string): Promise<InputImageRef>;
  /** The bytes of one output, from the file reference its `ComfyOutput` carried. */
  viewBytes(file: ComfyFileRef): Promise<Buffer>;
  close(): Promise<void>;
}
