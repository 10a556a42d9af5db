/**
 * Who and where the playground pretends to be: one user in one Microsoft 365 tenant, a personal chat with the bot, and
 * a team with a #notifications channel. Fixed ids, so a restart finds the same conversations in the store.
 */
export const PLAYGROUND_TENANT_ID = '00000000-0000-4000-8000-00000000f00d';

export interface PlaygroundIdentities {
  readonly tenantId: string;
  readonly user: { readonly id: string; readonly name: string; readonly aadObjectId: string };
  readonly bot: { readonly id: string; readonly name: string };
  readonly chat: { readonly id: string; readonly name: string };
  readonly team: { readonly id: string; readonly name: string };
  readonly channel: { readonly id: string; readonly name: string };
}

/** `allowedTenants`: with ALLOWED_TENANT_IDS set, the playground acts from the first allowed tenant. */
export function playgroundIdentities(allowedTenants: readonly string[], botAppId: string | undefined) {
  return {
    tenantId: allowedTenants[0] ?? PLAYGROUND_TENANT_ID,
    user: { id: '29:playground-user', name: 'Avery Howard', aadObjectId: '00000000-0000-4000-8000-0000000a0001' },
    bot: { id: `28:${botAppId ?? 'playground-bot'}`, name: 'Partner Relationship Bot' },
    chat: { id: 'a:playground-chat', name: 'Partner Relationship Bot' },
    team: { id: '19:playground-team@thread.tacv2', name: 'Partner team' },
    channel: { id: '19:playground-notifications@thread.tacv2', name: 'notifications' },
  } satisfies PlaygroundIdentities;
}
