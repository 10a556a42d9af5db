import type { AccessRules } from '../access.js';
import type { AccessAssignmentSetting, Platform } from '../model.js';
import type { Clock, IdSource, Logger, PartnerDirectory, ResellerLinks, Store } from '../ports.js';
import type { Reply } from '../replies.js';
import type { DraftTemplate } from '../requests/draft.js';

/** A chat message turned into neutral terms by an adapter. */
export interface CommandInput {
  readonly platform: Platform;
  /** Teams tenant id or Slack team id */
  readonly tenant: string;
  readonly user: { readonly id: string; readonly name: string; readonly aadObjectId?: string | undefined };
  readonly conversation: {
    /** Teams: conversation id without `;messageid=`; Slack: channel id */
    readonly id: string;
    readonly kind: 'personal' | 'group' | 'channel';
    readonly name?: string | undefined;
  };
  /** the command words, mention already removed (e.g. `request relationship Contoso admin@contoso.com`) */
  readonly text: string;
  /** the platform's id of the inbound message, so a re-delivery never creates a second request */
  readonly messageId?: string | undefined;
  /**
   * The adapter posts a new request's card at once and runs the reply's `followUp` afterwards (asking for admin
   * access), updating the card in place. Without it the card waits for admin access to be requested.
   */
  readonly cardFirst?: boolean | undefined;
}

export interface CoreSettings {
  readonly partnerName: string;
  readonly draftTemplate: DraftTemplate;
  readonly access: AccessRules;
  /** GDAP per request (`GDAP_*` in docs/configuration.md); absent = off */
  readonly gdap?:
    | {
        readonly roles: readonly string[];
        readonly duration: string;
        /** new relationships extend themselves by 180 days at their end (`autoExtendDuration: P180D`) */
        readonly autoExtend?: boolean | undefined;
        /** partner security groups and the roles each gets once a customer approves (empty: assigned by hand) */
        readonly accessAssignments?: readonly AccessAssignmentSetting[] | undefined;
      }
    | undefined;
}

export interface CoreDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly links: ResellerLinks;
  /** Partner Center and Graph (live or the emulator); absent in unit tests that need neither */
  readonly directory?: PartnerDirectory | undefined;
  readonly logger: Logger;
  readonly settings: CoreSettings;
}

export type ParseResult<A> = { readonly ok: true; readonly args: A } | { readonly ok: false; readonly problem: string };

/** What describes a command: its words, usage and help text, and whether it changes requests. */
export interface CommandInfo {
  readonly name: string;
  /** the words that start it, lower-case; the longest match wins (`request relationship` before `request`) */
  readonly triggers: readonly string[];
  readonly usage: string;
  readonly summary: string;
  readonly examples: readonly string[];
  /** creates, edits or cancels requests: subject to `REQUESTERS` */
  readonly restricted: boolean;
}

/** One chat command: how to read its arguments, and what it does. One file per command. */
export interface CommandDefinition<A> extends CommandInfo {
  parse(args: string): ParseResult<A>;
  run(deps: CoreDeps, input: CommandInput, args: A): Promise<Reply>;
}

/** A command with its argument type hidden, so different commands fit in one list. */
export interface Command extends CommandInfo {
  /** parse and run; a parse problem comes back as `{ problem }` */
  execute(deps: CoreDeps, input: CommandInput, args: string): Promise<Reply | { readonly problem: string }>;
}

export function defineCommand<A>(definition: CommandDefinition<A>): Command {
  return {
    name: definition.name,
    triggers: definition.triggers,
    usage: definition.usage,
    summary: definition.summary,
    examples: definition.examples,
    restricted: definition.restricted,
    async execute(deps, input, args) {
      const parsed = definition.parse(args);
      return parsed.ok ? definition.run(deps, input, parsed.args) : { problem: parsed.problem };
    },
  };
}
