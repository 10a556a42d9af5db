/**
 * Every chat command, in the order help lists them. The Teams and Slack manifests are checked against this list.
 */
import { cancelCommand } from './cancel.js';
import { makeHelpCommand } from './help.js';
import { listCommand } from './list.js';
import type { RequestFormModel } from '../views/models.js';
import { checkRequestArgs, parseRequestArgs, requestCommand } from './request.js';
import { statusCommand } from './status.js';
import { subscribeCommand } from './subscribe.js';
import type { Command } from './types.js';
import { unsubscribeCommand } from './unsubscribe.js';
import { squash } from './words.js';

export const COMMANDS: readonly Command[] = [
  requestCommand,
  listCommand,
  statusCommand,
  cancelCommand,
  subscribeCommand,
  unsubscribeCommand,
  makeHelpCommand(() => COMMANDS),
];

// Longest trigger first, so "request relationship …" wins over "request …".
const TRIGGERS = COMMANDS.flatMap((command) => command.triggers.map((trigger) => ({ trigger, command }))).sort(
  (a, b) => b.trigger.length - a.trigger.length,
);

/** Find the command a text starts with (any case) and the rest of the text as its arguments. */
export function findCommand(text: string): { command: Command; args: string } | undefined {
  const squashed = squash(text).replace(/^\//, '');
  const lower = squashed.toLowerCase();
  for (const { trigger, command } of TRIGGERS) {
    if (lower === trigger || lower.startsWith(`${trigger} `)) {
      return { command, args: squashed.slice(trigger.length).trim() };
    }
  }
  return undefined;
}

/**
 * The request form for chat text that is a request command with missing or wrong arguments; undefined for anything
 * else. Pure, for platforms that must open the form before any slow call.
 */
export function requestFormForText(text: string): RequestFormModel | undefined {
  const found = findCommand(text);
  if (found?.command !== requestCommand) return undefined;
  const checked = checkRequestArgs(parseRequestArgs(found.args));
  return checked.ok ? undefined : checked.form;
}
