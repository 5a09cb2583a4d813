import type { Clock } from '#shared/clock.ts';
import type { DeliveryTarget, Requester } from '../jobs/types.ts';
import type { JobsPort } from '../ports/jobs-port.ts';
import type { QuotaReport } from '../ports/quota-report.ts';
import type { ResultReader } from '../ports/result-reader.ts';
import type { TemplateCatalog } from '../ports/template-catalog.ts';
import type { GivenImage, ImagineOptions, Place } from '../prompt/index.ts';
import type { SafetySettings } from '../safety/place-safety.ts';
import type { Storage } from '../storage/create-storage.ts';

// What the chat core (`ChatService`) is built with, and what `/imagine` gives it.

export interface ImagineInput {
  requester: Requester;
  /** Prompt text with `--flags`, from a slash option, a message or a caption. */
  text: string;
  /** Typed values from a platform's form; each wins over the same setting written as a flag. */
  options?: ImagineOptions;
  image?: GivenImage;
  place: Place;
  delivery: DeliveryTarget;
  /** Where job `index` of `total` is shown when `--n` makes several (default: `delivery` for each). */
  deliveryFor?: (index: number, total: number) => Promise<DeliveryTarget>;
  idempotencyKey?: string;
}

/** Where the operator hears about refusals only they can fix (the person is told something short). */
export interface OperatorSink {
  warn(o: object, m?: string): void;
}

/** What the chat core works with: the core's ports and the stores of its own records. */
export interface ChatDeps {
  jobs: JobsPort;
  results: ResultReader;
  templates: TemplateCatalog;
  quota: QuotaReport;
  /** Communities' policies, people's settings, linked accounts, and the audit log of admin actions. */
  storage: Pick<Storage, 'communities' | 'users' | 'links' | 'appendAudit' | 'listAudit'>;
  /** The `safety:` config defaults, for `/admin safety` (default: the built-in defaults). */
  safety?: SafetySettings;
  clock?: Pick<Clock, 'now'>;
  log?: OperatorSink;
  /** Counts a refusal for the operator (a metric), by its technical code. */
  onOperatorProblem?: (code: string) => void;
}
