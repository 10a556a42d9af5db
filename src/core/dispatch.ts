import { checkRequester, checkWorkspace } from './access.js';
import { helpReply } from './commands/help.js';
import { COMMANDS, findCommand } from './commands/registry.js';
import type { CommandInput, CoreDeps } from './commands/types.js';
import { UpstreamError } from './errors.js';
import { errorReply, text, type Reply } from './replies.js';
import { clipChars } from './text.js';

/**
 * The one entry point for chat text: check the workspace, then `runCommand`. Errors that are not core errors are bugs:
 * they propagate for the adapter to log and apologise for.
 */
export async function handleCommand(deps: CoreDeps, input: CommandInput): Promise<Reply> {
  try {
    checkWorkspace(deps.settings.access, input.platform, input.tenant);
  } catch (err) {
    return replyTo(deps, input, err);
  }
  return runCommand(deps, input);
}

/**
 * Find the command, check who may run it, run it, and turn core errors into replies — for an adapter that has
 * already checked the workspace once for this turn (before touching the store).
 */
export async function runCommand(deps: CoreDeps, input: CommandInput): Promise<Reply> {
  try {
    const found = findCommand(input.text);
    if (!found) return helpReply(COMMANDS, notUnderstood(input.text));
    const { command, args } = found;
    if (command.restricted) checkRequester(deps.settings.access, input.user);
    const result = await command.execute(deps, input, args);
    if ('problem' in result) return text(`${result.problem}\nUsage: ${command.usage}`, 'warning');
    return result;
  } catch (err) {
    return replyTo(deps, input, err);
  }
}

function replyTo(deps: CoreDeps, input: CommandInput, err: unknown): Reply {
  const reply = errorReply(err);
  if (!reply) throw err;
  if (err instanceof UpstreamError) {
    deps.logger.warn({ err, platform: input.platform, service: err.service }, 'command failed: upstream unavailable');
  }
  return reply;
}

function notUnderstood(raw: string): string {
  const said = raw.trim();
  if (!said) return '';
  const shown = clipChars(said, 78, true);
  const hint = said.includes('@')
    ? ' To invite a customer, start with "request relationship", for example: request relationship Contoso Ltd admin@contoso.com'
    : '';
  return `Sorry, I didn't understand "${shown}".${hint}`;
}
