/**
 * Typed data for every card the bot shows. The core fills these; each platform adapter renders them from its
 * templates in `cards/`. Every field is always present and a string, number or boolean (the Adaptive Card templater
 * leaves `${…}` behind for missing fields and throws on `null`), and every string is plain text: renderers escape.
 */
import type { AdminAccess, Status } from '../model.js';

export interface RequestCardModel {
  readonly requestId: string;
  readonly customerName: string;
  readonly contactEmail: string;
  readonly domain: string;
  readonly requestedBy: string;
  readonly createdAt: string;
  readonly createdAtText: string;
  readonly status: Status;
  readonly statusText: string;
  readonly adminAccess: AdminAccess;
  readonly adminAccessText: string;
  readonly resellerLink: string;
  /** '' when there is no GDAP link */
  readonly gdapLink: string;
  readonly hasGdapLink: boolean;
  readonly subject: string;
  readonly body: string;
  /** who last saved the draft and when, e.g. "Draft saved by Ana Lopez · 25 Nov 2026, 14:02 UTC" ('' if never saved) */
  readonly draftSavedText: string;
  /** `mailto:` with recipient, subject and (when short enough) body; best effort */
  readonly mailto: string;
  /** false when the draft was too long for the link: the card asks to copy it */
  readonly mailtoIncludesBody: boolean;
  readonly canSaveDraft: boolean;
  readonly canMarkSent: boolean;
  readonly canCancel: boolean;
  /** asking for admin access failed at creation: offer to try again */
  readonly canRetryAdminAccess: boolean;
  /** admin access revoked, expired or about to expire: offer a new relationship and link */
  readonly canRequestAdminAgain: boolean;
  /** the customer approved admin access for a cancelled request: offer to end it */
  readonly canEndAdminAccess: boolean;
  /** open and its customer's tenant id not known yet: offer to give it */
  readonly canSetTenant: boolean;
  /** the tenant id or `*.onmicrosoft.com` domain given or learnt ('' when none) */
  readonly tenant: string;
  /** short remarks under the facts (e.g. a similar open request exists) */
  readonly notes: readonly string[];
  /** once accepted: the customer as Partner Center describes them (tenant id, default domain, registered name) */
  readonly customerRecord: readonly { readonly label: string; readonly value: string }[];
  /** once the tenant is known: the customer in Partner Center and in the Microsoft 365 admin center's partner view */
  readonly customerLinks: readonly { readonly title: string; readonly url: string }[];
  readonly version: number;
}

export interface RequestFormModel {
  readonly customerName: string;
  readonly contactEmail: string;
  readonly domain: string;
  /** the customer's tenant id or `*.onmicrosoft.com` domain, when known (optional) */
  readonly tenant: string;
  /** per field: what is wrong ('' when fine) */
  readonly customerNameError: string;
  readonly contactEmailError: string;
  readonly domainError: string;
  readonly tenantError: string;
  readonly message: string;
  readonly usage: string;
}

export interface ListItemModel {
  readonly requestId: string;
  readonly customerName: string;
  readonly status: Status;
  readonly statusText: string;
  readonly adminAccess: AdminAccess;
  readonly adminAccessText: string;
  readonly age: string;
  readonly createdAt: string;
}

export type ListFilter = 'open' | 'accepted' | 'all';

export interface ListModel {
  readonly filter: ListFilter;
  readonly title: string;
  readonly items: readonly ListItemModel[];
  readonly total: number;
  /** e.g. "Showing the newest 20 of 34." or '' */
  readonly more: string;
  /** shown when there are no items */
  readonly emptyText: string;
}

export interface TimelineItemModel {
  readonly at: string;
  readonly atText: string;
  readonly text: string;
}

export interface StatusModel {
  readonly request: RequestCardModel;
  /** the newest entries, oldest first */
  readonly timeline: readonly TimelineItemModel[];
  /** e.g. "12 earlier events are not shown."; '' when nothing is left out */
  readonly earlier: string;
}

export interface HelpCommandModel {
  readonly usage: string;
  readonly summary: string;
}

export interface HelpModel {
  /** '' unless the help answers something we did not understand */
  readonly notice: string;
  readonly commands: readonly HelpCommandModel[];
  readonly examples: readonly string[];
}

export interface CardModels {
  readonly request: RequestCardModel;
  readonly 'request-form': RequestFormModel;
  readonly list: ListModel;
  readonly status: StatusModel;
  readonly help: HelpModel;
}

export type CardName = keyof CardModels;
