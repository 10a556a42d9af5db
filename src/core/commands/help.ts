import { card, type Reply } from '../replies.js';
import type { HelpModel } from '../views/models.js';
import { defineCommand, type Command } from './types.js';

/** `help`; also the answer to anything not understood. Takes the command list lazily: it is part of that list. */
export function makeHelpCommand(commands: () => readonly Command[]): Command {
  return defineCommand<null>({
    name: 'help',
    triggers: ['help', '?'],
    usage: 'help',
    summary: 'Show what the bot can do, with examples.',
    examples: ['help'],
    restricted: false,
    parse: () => ({ ok: true, args: null }),
    run: () => Promise.resolve(helpReply(commands(), '')),
  });
}

export function helpReply(commands: readonly Command[], notice: string): Reply {
  const model: HelpModel = {
    notice,
    commands: commands.map((c) => ({ usage: c.usage, summary: c.summary })),
    examples: commands.flatMap((c) => (c.name === 'help' ? [] : c.examples.slice(0, 1))),
  };
  return card('help', model, 'user');
}
