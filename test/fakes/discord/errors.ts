/** Discord's JSON error shape and the codes the fake answers with (opcodes-and-status-codes.mdx). */

export interface FieldError {
  code: string;
  message: string;
}

/** Nested `errors` object as Discord sends it: `{ data: { components: { 0: { _errors: [...] } } } }`. */
export type ErrorTree = { _errors?: FieldError[] } & { [key: string]: ErrorTree | FieldError[] | undefined };

export interface DiscordErrorBody {
  message: string;
  code: number;
  errors?: ErrorTree;
}

/** Names of the rules the fake enforces; each rejection is recorded as a violation with one of these. */
export const Rules = {
  unauthorized: 'unauthorized',
  noRoute: 'no-route',
  unknownInteraction: 'unknown-interaction',
  lateAck: 'late-ack',
  didNotRespond: 'did-not-respond',
  alreadyAcknowledged: 'already-acknowledged',
  invalidWebhookToken: 'invalid-webhook-token',
  unknownWebhook: 'unknown-webhook',
  unknownMessage: 'unknown-message',
  unknownChannel: 'unknown-channel',
  unknownGuild: 'unknown-guild',
  unknownMember: 'unknown-member',
  unknownCommand: 'unknown-command',
  requestTooLarge: 'request-too-large',
  attachmentTooLarge: 'attachment-too-large',
  tooManyAttachments: 'too-many-attachments',
  emptyMessage: 'empty-message',
  invalidFormBody: 'invalid-form-body',
  tooManyCommands: 'too-many-commands',
  retryTooEarly: 'retry-before-retry-after',
  editRate: 'edit-rate',
  notAuthor: 'not-message-author',
  invalidJson: 'invalid-json',
  missingPermissions: 'missing-permissions',
} as const;
export type RuleName = (typeof Rules)[keyof typeof Rules];

/** A rejected request: HTTP status, Discord body, and the rule it broke. */
export class DiscordFailure extends Error {
  readonly status: number;
  readonly body: DiscordErrorBody;
  readonly rule: RuleName;
  constructor(status: number, rule: RuleName, body: DiscordErrorBody) {
    super(`${status} ${body.code} ${body.message}`);
    this.status = status;
    this.rule = rule;
    this.body = body;
  }
}

const simple = (status: number, code: number, message: string, rule: RuleName) => (): DiscordFailure =>
  new DiscordFailure(status, rule, { message, code });

export const Fail = {
  unauthorized: simple(401, 0, '401: Unauthorized', Rules.unauthorized),
  unknownInteraction: simple(404, 10062, 'Unknown interaction', Rules.unknownInteraction),
  lateAck: simple(404, 10062, 'Unknown interaction', Rules.lateAck),
  alreadyAcknowledged: simple(
    400,
    40060,
    'Interaction has already been acknowledged.',
    Rules.alreadyAcknowledged,
  ),
  invalidWebhookToken: simple(401, 50027, 'Invalid Webhook Token', Rules.invalidWebhookToken),
  unknownWebhook: simple(404, 10015, 'Unknown Webhook', Rules.unknownWebhook),
  unknownMessage: simple(404, 10008, 'Unknown Message', Rules.unknownMessage),
  unknownChannel: simple(404, 10003, 'Unknown Channel', Rules.unknownChannel),
  unknownGuild: simple(404, 10004, 'Unknown Guild', Rules.unknownGuild),
  unknownMember: simple(404, 10007, 'Unknown Member', Rules.unknownMember),
  unknownCommand: simple(404, 10063, 'Unknown application command', Rules.unknownCommand),
  requestTooLarge: simple(413, 40005, 'Request entity too large', Rules.requestTooLarge),
  attachmentTooLarge: simple(413, 40005, 'Request entity too large', Rules.attachmentTooLarge),
  tooManyAttachments: simple(
    400,
    30015,
    'Maximum number of attachments in a message reached (10)',
    Rules.tooManyAttachments,
  ),
  emptyMessage: simple(400, 50006, 'Cannot send an empty message', Rules.emptyMessage),
  tooManyCommands: simple(
    400,
    30032,
    'Maximum number of application commands reached (100)',
    Rules.tooManyCommands,
  ),
  notAuthor: simple(403, 50005, 'Cannot edit a message authored by another user', Rules.notAuthor),
  missingPermissions: simple(403, 50013, 'Missing Permissions', Rules.missingPermissions),
  invalidJson: simple(400, 50109, 'The request body contains invalid JSON.', Rules.invalidJson),
  noRoute: (method: string, path: string): DiscordFailure =>
    new DiscordFailure(404, Rules.noRoute, {
      message: `404: Not Found (fake: no route ${method} ${path})`,
      code: 0,
    }),
  invalidForm: (errors: ErrorTree): DiscordFailure =>
    new DiscordFailure(400, Rules.invalidFormBody, { message: 'Invalid Form Body', code: 50035, errors }),
};

/** Collects field errors by path and builds Discord's nested `errors` tree. */
export class FormErrors {
  private readonly tree: ErrorTree = {};
  private count = 0;

  add(path: readonly (string | number)[], code: string, message: string): void {
    let node: ErrorTree = this.tree;
    for (const key of path) {
      const k = String(key);
      const next = node[k];
      if (next === undefined || Array.isArray(next)) {
        const created: ErrorTree = {};
        node[k] = created;
        node = created;
      } else node = next;
    }
    node._errors = [...(node._errors ?? []), { code, message }];
    this.count++;
  }

  get empty(): boolean {
    return this.count === 0;
  }

  throwIfAny(): void {
    if (this.count > 0) throw Fail.invalidForm(this.tree);
  }
}
