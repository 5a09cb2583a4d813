/**
 * Telegram's error envelope and the descriptions the fake answers with. Descriptions are the
 * ones the real Bot API returns (see README.md in this folder for sources and the few guesses).
 */

export interface ResponseParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

export interface ErrorBody {
  ok: false;
  error_code: number;
  description: string;
  parameters?: ResponseParameters;
}

/** Names of the rules the fake enforces; each rejection is recorded as a violation with one of these. */
export const Rules = {
  unauthorized: 'unauthorized',
  unknownMethod: 'unknown-method',
  badParameter: 'bad-parameter',
  chatNotFound: 'chat-not-found',
  textEmpty: 'text-empty',
  textTooLong: 'text-too-long',
  captionTooLong: 'caption-too-long',
  buttonData: 'button-data-invalid',
  buttonInvalid: 'button-invalid',
  photoTooBig: 'photo-too-big',
  photoDimensions: 'photo-invalid-dimensions',
  imageInvalid: 'image-process-failed',
  uploadTooBig: 'upload-too-big',
  fileIdInvalid: 'file-id-invalid',
  mediaGroupSize: 'media-group-size',
  mediaGroupMix: 'media-group-mix',
  mediaGroupMarkup: 'media-group-reply-markup-ignored',
  notModified: 'message-not-modified',
  editNotFound: 'message-to-edit-not-found',
  deleteNotFound: 'message-to-delete-not-found',
  cantEdit: 'message-cant-be-edited',
  cantDelete: 'message-cant-be-deleted',
  replyNotFound: 'reply-not-found',
  queryTooOld: 'callback-query-too-old',
  downloadTooBig: 'download-too-big',
  pollConflict: 'getupdates-conflict',
  webhookActive: 'getupdates-while-webhook',
  badWebhook: 'bad-webhook',
  commandInvalid: 'bot-command-invalid',
  userNotFound: 'user-not-found',
  noAdminsInPrivate: 'no-admins-in-private-chat',
  injected: 'injected-failure',
  flood: 'flood',
  retryTooEarly: 'retry-before-retry-after',
} as const;
export type RuleName = (typeof Rules)[keyof typeof Rules];

/** A rejected call: the Telegram error body plus the rule it broke. */
export class TelegramFailure extends Error {
  readonly status: number;
  readonly body: ErrorBody;
  readonly rule: RuleName;
  constructor(status: number, rule: RuleName, description: string, parameters?: ResponseParameters) {
    super(`${status}: ${description}`);
    this.status = status;
    this.rule = rule;
    this.body = { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) };
  }
}

const bad = (rule: RuleName, description: string) => (): TelegramFailure =>
  new TelegramFailure(400, rule, `Bad Request: ${description}`);

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export const Fail = {
  unauthorized: (): TelegramFailure => new TelegramFailure(401, Rules.unauthorized, 'Unauthorized'),
  unknownMethod: (): TelegramFailure => new TelegramFailure(404, Rules.unknownMethod, 'Not Found'),
  badParameter: (description: string): TelegramFailure =>
    new TelegramFailure(400, Rules.badParameter, `Bad Request: ${description}`),
  chatNotFound: bad(Rules.chatNotFound, 'chat not found'),
  userNotFound: bad(Rules.userNotFound, 'user not found'),
  textEmpty: bad(Rules.textEmpty, 'message text is empty'),
  textTooLong: bad(Rules.textTooLong, 'message is too long'),
  captionTooLong: bad(Rules.captionTooLong, 'message caption is too long'),
  buttonData: bad(Rules.buttonData, 'BUTTON_DATA_INVALID'),
  textButton: bad(
    Rules.buttonInvalid,
    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
  ),
  photoTooBig: (size: number): TelegramFailure =>
    new TelegramFailure(
      400,
      Rules.photoTooBig,
      `Bad Request: file of size ${size} bytes is too big for a photo; the maximum size is ${MAX_PHOTO_BYTES} bytes`,
    ),
  photoDimensions: bad(Rules.photoDimensions, 'PHOTO_INVALID_DIMENSIONS'),
  imageInvalid: bad(Rules.imageInvalid, 'IMAGE_PROCESS_FAILED'),
  uploadTooBig: (): TelegramFailure =>
    new TelegramFailure(413, Rules.uploadTooBig, 'Request Entity Too Large'),
  fileIdInvalid: bad(Rules.fileIdInvalid, 'wrong file identifier/HTTP URL specified'),
  urlUnreachable: bad(Rules.fileIdInvalid, 'failed to get HTTP URL content'),
  wrongFileType: (found: string, wanted: string): TelegramFailure =>
    new TelegramFailure(
      400,
      Rules.fileIdInvalid,
      `Bad Request: can't use file of type ${found} as ${wanted}`,
    ),
  noMedia: (kind: string): TelegramFailure =>
    new TelegramFailure(400, Rules.badParameter, `Bad Request: there is no ${kind} in the request`),
  mediaNotFound: bad(Rules.badParameter, "can't parse InputMedia: media not found"),
  mediaGroupEmpty: bad(Rules.mediaGroupSize, 'there are no messages to send'),
  mediaGroupTooMany: bad(Rules.mediaGroupSize, 'too many messages to send as an album'),
  mediaGroupMix: bad(Rules.mediaGroupMix, "document can't be mixed with other media types"),
  mediaGroupMixAudio: bad(Rules.mediaGroupMix, "audio can't be mixed with other media types"),
  notModified: bad(
    Rules.notModified,
    'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
  ),
  editNotFound: bad(Rules.editNotFound, 'message to edit not found'),
  deleteNotFound: bad(Rules.deleteNotFound, 'message to delete not found'),
  cantEdit: bad(Rules.cantEdit, "message can't be edited"),
  cantDelete: bad(Rules.cantDelete, "message can't be deleted"),
  noTextToEdit: bad(Rules.cantEdit, 'there is no text in the message to edit'),
  noCaptionToEdit: bad(Rules.cantEdit, 'there is no caption in the message to edit'),
  noMediaToEdit: bad(Rules.cantEdit, "message can't be edited"),
  messageIdMissing: bad(Rules.badParameter, 'message identifier is not specified'),
  replyNotFound: bad(Rules.replyNotFound, 'message to be replied not found'),
  queryTooOld: bad(Rules.queryTooOld, 'query is too old and response timeout expired or query ID is invalid'),
  downloadTooBig: bad(Rules.downloadTooBig, 'file is too big'),
  invalidFileId: bad(Rules.fileIdInvalid, 'invalid file_id'),
  pollConflict: (): TelegramFailure =>
    new TelegramFailure(
      409,
      Rules.pollConflict,
      'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    ),
  pollTerminatedBySetWebhook: (): TelegramFailure =>
    new TelegramFailure(409, Rules.pollConflict, 'Conflict: terminated by setWebhook request'),
  webhookActive: (): TelegramFailure =>
    new TelegramFailure(
      409,
      Rules.webhookActive,
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    ),
  webhookNotHttps: bad(Rules.badWebhook, 'bad webhook: An HTTPS URL must be provided for webhook'),
  webhookPort: bad(Rules.badWebhook, 'bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443'),
  webhookSecret: bad(Rules.badWebhook, 'secret token contains unallowed characters'),
  commandInvalid: bad(Rules.commandInvalid, 'BOT_COMMAND_INVALID'),
  commandDescriptionInvalid: bad(Rules.commandInvalid, 'BOT_COMMAND_DESCRIPTION_INVALID'),
  noAdminsInPrivate: bad(Rules.noAdminsInPrivate, 'there are no administrators in the private chat'),
  tooManyRequests: (retryAfter: number, rule: RuleName = Rules.injected): TelegramFailure =>
    new TelegramFailure(429, rule, `Too Many Requests: retry after ${retryAfter}`, {
      retry_after: retryAfter,
    }),
};
