// Discord's side of responding to an interaction (API v10): the one callback each interaction
// accepts (POST /interactions/{id}/{token}/callback), then its webhook for the original response
// and follow-ups (/webhooks/{application}/{token}...). Only interactions the fake dispatched are
// known; tokens do not expire here (Discord's 3-second and 15-minute limits are not enforced).
import {
  type APIMessage,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  RESTJSONErrorCodes,
} from 'discord.js';
import type { FormErrors } from './discord-commands.ts';
import { discordMessage, type SentMessage } from './discord-interactions.ts';
import {
  type Answerer,
  asRecord,
  type DiscordAnswer,
  type DiscordState,
  discordError,
  fieldError,
  formError,
  type InteractionRecord,
  messageProblem,
  noContent,
  ok,
  type Params,
} from './discord-rest-routes.ts';

const {
  ChannelMessageWithSource,
  DeferredChannelMessageWithSource,
  DeferredMessageUpdate,
  UpdateMessage,
  Modal,
} = InteractionResponseType;

/** Documented limits of a modal: a title of 1-45 characters and 1-5 top-level components. */
function modalProblem(modal: Record<string, unknown>): DiscordAnswer | null {
  const errors: Record<string, FormErrors> = {};
  const title = typeof modal.title === 'string' ? modal.title : '';
  if (title.length < 1 || title.length > 45) {
    errors.title = fieldError('BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 45 in length.');
  }
  const components = Array.isArray(modal.components) ? modal.components : [];
  if (components.length < 1 || components.length > 5) {
    errors.components = fieldError('BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
  }
  return Object.keys(errors).length > 0 ? formError({ data: errors }) : null;
}

function callbackProblem(type: number, data: Record<string, unknown>) {
  if (type === Modal) return modalProblem(data);
  if (type === ChannelMessageWithSource) return messageProblem(data, true, 'data');
  return type === UpdateMessage ? messageProblem(data, false, 'data') : null;
}

/** The fields Discord sets on a message made by answering an interaction. */
function responseFields(record: InteractionRecord): Partial<APIMessage> {
  const { interaction } = record;
  const invoker = interaction.member?.user ?? interaction.user;
  const fromCommand = interaction.type === InteractionType.ApplicationCommand;
  return {
    webhook_id: interaction.application_id,
    application_id: interaction.application_id,
    type: fromCommand ? MessageType.ChatInputCommand : MessageType.Default,
    ...(invoker && {
      interaction_metadata: {
        id: interaction.id,
        type: interaction.type,
        user: invoker,
        authorizing_integration_owners: interaction.authorizing_integration_owners,
      } as APIMessage['interaction_metadata'],
    }),
  };
}

/** The message a response creates (types 4, 5) or the component's message it edits (6, 7). */
function originalMessage(record: InteractionRecord, type: number, sent: SentMessage) {
  const { interaction } = record;
  const channelId = interaction.channel?.id ?? '';
  if (type === ChannelMessageWithSource) {
    return discordMessage(channelId, sent, responseFields(record));
  }
  if (type === DeferredChannelMessageWithSource) {
    // "Bot is thinking…": an empty message flagged Loading until the first edit.
    const flags = ((sent.flags ?? 0) | MessageFlags.Loading) as MessageFlags;
    return discordMessage(channelId, { flags }, responseFields(record));
  }
  const message = 'message' in interaction ? interaction.message : undefined;
  if (type === UpdateMessage && message) {
    return { ...message, ...sent, edited_timestamp: new Date().toISOString() };
  }
  return type === DeferredMessageUpdate ? message : undefined;
}

export const interactionCallback: Answerer = (state, request, { interactionId = '', token }) => {
  const record = state.interactions.get(interactionId);
  if (!record || record.interaction.token !== token) {
    return discordError(404, RESTJSONErrorCodes.UnknownInteraction);
  }
  if (record.acknowledgedWith !== null) {
    return discordError(400, RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged);
  }
  const callback = asRecord(request.body);
  const type = Number(callback.type);
  const data = asRecord(callback.data);
  const problem = callbackProblem(type, data);
  if (problem) return problem;

  record.acknowledgedWith = type;
  const original = originalMessage(record, type, data);
  if (original) record.messages.set('@original', original);
  // Without ?with_response=true Discord answers 204 No Content.
  if (request.query.get('with_response') !== 'true') return noContent;

  // The interaction callback response object; `resource.message` only for types 4 and 7.
  const showsMessage = type === ChannelMessageWithSource || type === UpdateMessage;
  const responseMessage = original && {
    response_message_id: original.id,
    response_message_loading: type === DeferredChannelMessageWithSource,
    response_message_ephemeral: Boolean((original.flags ?? 0) & MessageFlags.Ephemeral),
  };
  return ok({
    interaction: { id: interactionId, type: record.interaction.type, ...responseMessage },
    resource: { type, ...(showsMessage && original ? { message: original } : {}) },
  });
};

/** The interaction a webhook token belongs to; webhooks of other apps are unknown. */
function webhookOwner(state: DiscordState, params: Params): InteractionRecord | undefined {
  if (params.applicationId !== state.applicationId) return undefined;
  const records = [...state.interactions.values()];
  return records.find((record) => record.interaction.token === params.token);
}

/** GET, PATCH and DELETE of `@original` or of a follow-up by id. */
export const webhookMessage: Answerer = (state, request, params) => {
  const record = webhookOwner(state, params);
  if (!record) return discordError(404, RESTJSONErrorCodes.UnknownWebhook);
  const key = params.messageId ?? '';
  const message = record.messages.get(key);
  if (!message) return discordError(404, RESTJSONErrorCodes.UnknownMessage);
  if (request.method === 'GET') return ok(message);
  if (request.method === 'DELETE') {
    record.messages.delete(key);
    return noContent;
  }

  const sent = asRecord(request.body) as SentMessage;
  const problem = messageProblem(sent, false);
  if (problem) return problem;
  // The first edit of a deferred reply ends its "thinking" state.
  const flags = ((sent.flags ?? message.flags ?? 0) & ~MessageFlags.Loading) as MessageFlags;
  const edited = { ...message, ...sent, flags, edited_timestamp: new Date().toISOString() };
  record.messages.set(key, edited);
  return ok(edited);
};

/** POST /webhooks/{application}/{token}: a follow-up message, answered as the message. */
export const followUp: Answerer = (state, request, params) => {
  const record = webhookOwner(state, params);
  if (!record) return discordError(404, RESTJSONErrorCodes.UnknownWebhook);
  const sent = asRecord(request.body) as SentMessage;
  const problem = messageProblem(sent, true);
  if (problem) return problem;

  const { application_id: applicationId, channel } = record.interaction;
  const message = discordMessage(channel?.id ?? '', sent, {
    webhook_id: applicationId,
    application_id: applicationId,
  });
  record.messages.set(message.id, message);
  return ok(message);
};
