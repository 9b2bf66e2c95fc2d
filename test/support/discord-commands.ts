// Application commands on both sides of the wire: what Discord keeps of a bulk overwrite (PUT
// .../commands), and the `data.options` it sends when a user types `/billing alerts threshold
// amount:50`, typed the way the registered command defines them.
import {
  type APIApplicationCommand,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOption,
  type APIInteractionDataResolved,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  type GatewayGuildCreateDispatchData,
} from 'discord.js';
import { memberPermissions } from './discord-payloads.ts';

/** A registered command (or the definition PUT to Discord), for typing the options. */
export interface ChatInputDefinition {
  name: string;
  id?: string;
  guild_id?: string;
  options?: APIApplicationCommandOption[];
}

/** One entry of Discord's error tree: `{ "0": { "name": { "_errors": [...] } } }`. */
export type FormErrors =
  | { [key: string]: FormErrors }
  | { _errors: { code: string; message: string }[] };

const { ChatInput } = ApplicationCommandType;
// Documented for chat-input names: 1-32 characters, lowercase where the script has case.
const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** The form errors Discord answers for a command's names and descriptions; null when valid. */
function commandErrors(command: {
  name?: string;
  description?: string;
  type?: number;
  options?: APIApplicationCommandOption[];
}): FormErrors | null {
  const errors: Record<string, FormErrors> = {};
  const name = command.name ?? '';
  const chatInput = (command.type ?? ChatInput) === ChatInput;
  // Context-menu names may hold capitals and spaces; only their length is limited.
  const validName = chatInput
    ? COMMAND_NAME.test(name) && name === name.toLowerCase()
    : name.length >= 1 && name.length <= 32;
  if (!validName) {
    const code = 'APPLICATION_COMMAND_INVALID_NAME';
    errors.name = { _errors: [{ code, message: 'Command name is invalid' }] };
  }
  const description = command.description ?? '';
  if (chatInput && (description.length < 1 || description.length > 100)) {
    const message = 'Must be between 1 and 100 in length.';
    errors.description = { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message }] };
  }
  const optionErrors: Record<string, FormErrors> = {};
  for (const [index, option] of (command.options ?? []).entries()) {
    const nested = commandErrors({ ...option, type: ChatInput });
    if (nested) optionErrors[index] = nested;
  }
  if (Object.keys(optionErrors).length > 0) errors.options = optionErrors;
  return Object.keys(errors).length > 0 ? errors : null;
}

/**
 * Applies a bulk overwrite as Discord does: the list replaces what was registered; a command
 * whose name and type were registered before keeps its id, and its version while the definition
 * is unchanged, so putting the same definitions twice changes nothing. Answers the form errors
 * instead when a definition is invalid.
 */
export function overwriteCommands(
  registered: APIApplicationCommand[],
  definitions: unknown,
  scope: { applicationId: string; guildId?: string; newId: () => string },
): { commands: APIApplicationCommand[] } | { errors: FormErrors } {
  const list = Array.isArray(definitions) ? (definitions as Array<Record<string, unknown>>) : [];
  const errors: Record<string, FormErrors> = {};
  for (const [index, definition] of list.entries()) {
    const found = commandErrors(definition);
    if (found) errors[index] = found;
  }
  if (Object.keys(errors).length > 0) return { errors };

  const commands = list.map((definition) => {
    const type = (definition.type as number | undefined) ?? ChatInput;
    const earlier = registered.find(
      (command) => command.name === definition.name && command.type === type,
    );
    const command = {
      default_member_permissions: null,
      nsfw: false,
      integration_types: [ApplicationIntegrationType.GuildInstall],
      contexts: null,
      ...definition,
      type,
      description: definition.description ?? '',
      application_id: scope.applicationId,
      ...(scope.guildId ? { guild_id: scope.guildId } : {}),
    } as Omit<APIApplicationCommand, 'id' | 'version'>;
    const unchanged = earlier && JSON.stringify(withoutIds(earlier)) === JSON.stringify(command);
    return {
      ...command,
      id: earlier?.id ?? scope.newId(),
      version: unchanged ? earlier.version : scope.newId(),
    } as APIApplicationCommand;
  });
  return { commands };
}

const withoutIds = ({ id: _id, version: _version, ...rest }: APIApplicationCommand) => rest;

const { Subcommand, SubcommandGroup } = ApplicationCommandOptionType;
const WORD_OR_OPTION = /([\w-]+):"([^"]*)"|([\w-]+):(\S+)|(\S+)/g;

/**
 * Splits `/billing alerts threshold amount:50 note:"two words"` into the command name, the
 * subcommand path and the option values, as a user would type them.
 */
function parseCommandText(text: string) {
  const words: string[] = [];
  const values: Array<[string, string]> = [];
  for (const match of text.trim().replace(/^\//, '').matchAll(WORD_OR_OPTION)) {
    const [, quotedName, quoted, name, value, word] = match;
    if (quotedName !== undefined) values.push([quotedName, quoted ?? '']);
    else if (name !== undefined) values.push([name, value ?? '']);
    else if (word !== undefined) words.push(word);
  }
  const [commandName = '', ...path] = words;
  return { commandName, path, values };
}

// Without a definition, types are read off the text; Discord sends the registered type instead.
function guessType(value: string): ApplicationCommandOptionType {
  if (/^-?\d+$/.test(value)) return ApplicationCommandOptionType.Integer;
  if (value !== '' && Number.isFinite(Number(value))) return ApplicationCommandOptionType.Number;
  if (value === 'true' || value === 'false') return ApplicationCommandOptionType.Boolean;
  return ApplicationCommandOptionType.String;
}

function typedOption(name: string, type: ApplicationCommandOptionType, text: string) {
  const { Integer, Number: NumberType, Boolean: BooleanType } = ApplicationCommandOptionType;
  let value: string | number | boolean = text;
  if (type === Integer || type === NumberType) value = Number(text);
  if (type === BooleanType) value = text === 'true';
  return { name, type, value } as APIApplicationCommandInteractionDataBasicOption;
}

/**
 * The `data.options` of a chat-input interaction for `text`. With `definition` the options get
 * their registered types and unknown names throw; without it the types are guessed.
 */
export function commandOptions(
  text: string,
  definition: ChatInputDefinition | undefined,
): { name: string; options: APIApplicationCommandInteractionDataOption[] } {
  const { commandName, path, values } = parseCommandText(text);
  if (definition && definition.name !== commandName) {
    throw new Error(`interaction builder: "${text}" is not /${definition.name}`);
  }
  if (path.length > 2) throw new Error(`interaction builder: "${text}" nests too deep`);

  let level = definition?.options ?? [];
  const nesting = path.map((word, depth) => {
    if (!definition) {
      return { name: word, type: depth < path.length - 1 ? SubcommandGroup : Subcommand };
    }
    const found = level.find((option) => option.name === word);
    if (!found || (found.type !== Subcommand && found.type !== SubcommandGroup)) {
      throw new Error(`interaction builder: /${commandName} has no subcommand "${word}"`);
    }
    level = found.options ?? [];
    return { name: word, type: found.type };
  });

  const leaves = values.map(([name, value]) => {
    const type = definition ? level.find((option) => option.name === name)?.type : guessType(value);
    if (type === undefined) {
      throw new Error(`interaction builder: no option "${name}" in "${text}"`);
    }
    return typedOption(name, type, value);
  });
  // A subcommand holds the values; a group holds the subcommand.
  const options = nesting.reduceRight<APIApplicationCommandInteractionDataOption[]>(
    (inner, { name, type }) => [
      { name, type, options: inner } as APIApplicationCommandInteractionDataOption,
    ],
    leaves,
  );
  return { name: commandName, options };
}

/**
 * The `data.resolved` Discord adds for the user, role and channel options among `options`; the
 * permissions in it are the invoking user's (in the channel) and the member's (in `channelId`).
 */
export function resolvedFor(
  options: APIApplicationCommandInteractionDataOption[],
  guild: GatewayGuildCreateDispatchData,
  invocation: { userId: string; channelId: string },
): APIInteractionDataResolved | undefined {
  const resolved: APIInteractionDataResolved = {};
  for (const option of options) {
    if (option.type === Subcommand || option.type === SubcommandGroup) {
      Object.assign(resolved, resolvedFor(option.options ?? [], guild, invocation));
      continue;
    }
    const id = String(option.value);
    const member = guild.members.find((candidate) => candidate.user.id === id);
    const channel = guild.channels.find((candidate) => candidate.id === id);
    const role = guild.roles.find((candidate) => candidate.id === id);

    if (option.type === ApplicationCommandOptionType.User && member) {
      const { user, deaf: _deaf, mute: _mute, ...fields } = member;
      const permissions = String(memberPermissions(guild, id, invocation.channelId) ?? 0n);
      resolved.users = { ...resolved.users, [id]: user };
      resolved.members = { ...resolved.members, [id]: { ...fields, permissions } };
    }
    if (option.type === ApplicationCommandOptionType.Channel && channel) {
      const permissions = String(memberPermissions(guild, invocation.userId, id) ?? 0n);
      const entry = { id, name: channel.name, type: channel.type, permissions };
      resolved.channels = {
        ...resolved.channels,
        [id]: entry,
      } as APIInteractionDataResolved['channels'];
    }
    if (option.type === ApplicationCommandOptionType.Role && role) {
      resolved.roles = { ...resolved.roles, [id]: role };
    }
  }
  return Object.keys(resolved).length > 0 ? resolved : undefined;
}
