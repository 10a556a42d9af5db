/**
 * The Partner Center and Graph REST calls the bot makes (docs/partner-center.md), behind the core's
 * `PartnerDirectory` and `ResellerLinks` ports. The same code talks to the real services (live mode) and to the
 * emulator; only the base URLs and the token source differ.
 */
import { UpstreamError } from '../../core/errors.js';
import type { AccessAssignmentSetting } from '../../core/model.js';
import type {
  AccessAssignment,
  EndedAdminAccess,
  GdapRelationship,
  GdapStatus,
  Logger,
  NewGdapRelationship,
  PartnerCustomer,
  PartnerDirectory,
  ResellerLinks,
} from '../../core/ports.js';
import { callApi, describeError, type HttpOptions } from './http.js';
import type { TokenSource } from './tokens.js';

export interface DirectoryOptions {
  /** e.g. https://api.partnercenter.microsoft.com (no /v1); a function when known only once the server listens */
  readonly partnerCenterUrl: string | (() => string);
  /** e.g. https://graph.microsoft.com/v1.0 */
  readonly graphUrl: string | (() => string);
  readonly tokens: TokenSource;
  readonly logger: Logger;
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const CUSTOMER_PAGE_SIZE = 500;
export const GDAP_PAGE_SIZE = 300;
const LINK_CACHE_MS = 6 * 60 * 60 * 1000;
/** The customer's Global Admin opens this to approve (docs/partner-center.md#gdap-relationships). */
export const GDAP_APPROVAL_BASE =
  'https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/';

export class PartnerCenterDirectory implements PartnerDirectory, ResellerLinks {
  private cachedLink: { url: string; until: number } | undefined;
  private readonly pc: HttpOptions;
  private readonly pcUser: HttpOptions;
  private readonly graph: HttpOptions;

  constructor(private readonly options: DirectoryOptions) {
    const common = {
      timeoutMs: options.timeoutMs ?? 30_000,
      retries: 3,
      maxWaitSeconds: 60,
      logger: options.logger,
      ...(options.sleep ? { sleep: options.sleep } : {}),
    };
    this.pc = { ...common, service: 'Partner Center', token: () => options.tokens.partnerCenterApp() };
    this.pcUser = { ...common, service: 'Partner Center', token: () => options.tokens.partnerCenterUser() };
    this.graph = { ...common, service: 'Microsoft Graph', token: () => options.tokens.graph() };
  }

  /** `GET /v1/customers/relationshiprequests` needs App+User; the link names the partner, so it is cached. */
  async resellerLink(): Promise<string> {
    const now = Date.now();
    if (this.cachedLink && this.cachedLink.until > now) return this.cachedLink.url;
    const answer = await callApi(this.pcUser, {
      method: 'GET',
      url: `${this.pcUrl()}/v1/customers/relationshiprequests`,
    });
    const url = (answer.body as { url?: unknown } | undefined)?.url;
    if (typeof url !== 'string' || !/^https:\/\//.test(url)) {
      throw new UpstreamError('Partner Center returned no relationship request link.', 'Partner Center', {
        retryable: false,
      });
    }
    this.cachedLink = { url, until: now + LINK_CACHE_MS };
    return url;
  }

  async *customers(): AsyncIterable<readonly PartnerCustomer[]> {
    let url = `${this.pcUrl()}/v1/customers?size=${CUSTOMER_PAGE_SIZE}`;
    let headers: Record<string, string> = {};
    for (;;) {
      const answer = await callApi(this.pc, { method: 'GET', url, headers });
      const page = answer.body as CustomerCollection | undefined;
      yield (page?.items ?? []).map(toCustomer).filter((c): c is PartnerCustomer => c !== undefined);
      const next = page?.links?.next;
      if (!next?.uri) return;
      url = this.nextCustomersUrl(next.uri);
      headers = Object.fromEntries((next.headers ?? []).map((h) => [h.key, h.value]));
    }
  }

  async customer(tenantId: string): Promise<PartnerCustomer | undefined> {
    const answer = await callApi(this.pcUser, {
      method: 'GET',
      url: `${this.pcUrl()}/v1/customers/${encodeURIComponent(tenantId)}`,
      accept: [404],
    });
    return answer.status === 404 ? undefined : toCustomer(answer.body as CustomerItem);
  }

  async *gdapRelationships(): AsyncIterable<readonly GdapRelationship[]> {
    let url = `${this.relationshipsUrl()}?$top=${GDAP_PAGE_SIZE}`;
    for (;;) {
      const answer = await callApi(this.graph, { method: 'GET', url });
      const page = answer.body as { value?: GraphRelationship[]; '@odata.nextLink'?: string } | undefined;
      yield (page?.value ?? []).map(toRelationship);
      const next = page?.['@odata.nextLink'];
      if (!next) return;
      url = this.sameOrigin(next, this.graphUrl());
    }
  }

  async gdapRelationship(id: string): Promise<GdapRelationship | undefined> {
    const answer = await callApi(this.graph, {
      method: 'GET',
      url: `${this.relationshipsUrl()}/${encodeURIComponent(id)}`,
      accept: [404],
    });
    return answer.status === 404 ? undefined : toRelationship(answer.body as GraphRelationship);
  }

  /**
   * Create, then lock for approval. The display name is unique per partner and derived from the request, so a retry
   * after a failure finds the relationship the first attempt created instead of making a second one.
   */
  async requestAdminAccess(
    input: NewGdapRelationship,
  ): Promise<{ relationship: GdapRelationship; approvalLink: string }> {
    let relationship = input.firstAttempt ? undefined : await this.findByDisplayName(input.displayName);
    if (!relationship) {
      const created = await callApi(this.graph, {
        method: 'POST',
        url: this.relationshipsUrl(),
        body: {
          displayName: input.displayName,
          duration: input.duration,
          ...(input.autoExtend ? { autoExtendDuration: 'P180D' } : {}),
          ...(input.customerTenantId ? { customer: { tenantId: input.customerTenantId } } : {}),
          accessDetails: { unifiedRoles: input.roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
        },
        accept: [400, 409],
      });
      if (created.status === 201 || created.status === 200) {
        relationship = toRelationship(created.body as GraphRelationship);
      } else {
        // A duplicate display name (the status Graph uses for it is not documented): someone created it meanwhile.
        relationship = await this.findByDisplayName(input.displayName);
        if (!relationship) {
          throw new UpstreamError(
            `Microsoft Graph refused to create the GDAP relationship (${created.status}).`,
            'Microsoft Graph',
            { retryable: false },
          );
        }
      }
    }
    if (relationship.status === 'created') {
      // Graph locks asynchronously: an earlier attempt's lock may land between our read and this call
      const locked = await callApi(this.graph, {
        method: 'POST',
        url: `${this.relationshipsUrl()}/${encodeURIComponent(relationship.id)}/requests`,
        body: { action: 'lockForApproval' },
        accept: [400],
      });
      if (locked.status === 400 && (await this.gdapRelationship(relationship.id))?.status !== 'approvalPending') {
        throw new UpstreamError(
          'Microsoft Graph refused to lock the GDAP relationship for approval (400).',
          'Microsoft Graph',
          {
            retryable: false,
          },
        );
      }
      relationship = { ...relationship, status: 'approvalPending' };
    }
    return { relationship, approvalLink: `${GDAP_APPROVAL_BASE}${encodeURIComponent(relationship.id)}` };
  }

  /**
   * Graph: DELETE needs the relationship's ETag (If-Match) and works only while `created`; terminate while active. The
   * relationship may move meanwhile (a lock for approval lands): a refused DELETE reads it again and decides again.
   */
  async endAdminAccess(relationshipId: string): Promise<EndedAdminAccess> {
    const url = `${this.relationshipsUrl()}/${encodeURIComponent(relationshipId)}`;
    for (let attempt = 0; ; attempt++) {
      const found = await callApi(this.graph, { method: 'GET', url, accept: [404] });
      if (found.status === 404) return 'gone';
      const body = found.body as GraphRelationship & { '@odata.etag'?: string };
      switch (toRelationship(body).status) {
        case 'created': {
          const etag = body['@odata.etag'] ?? found.headers.get('etag') ?? '*';
          const deleted = await callApi(this.graph, {
            method: 'DELETE',
            url,
            headers: { 'if-match': etag },
            accept: attempt < 2 ? [400, 404, 409, 412] : [404],
          });
          if (deleted.status === 404) return 'gone';
          if (deleted.status < 300) return 'deleted';
          continue; // changed since we read it
        }
        case 'approvalPending':
          return 'not-possible';
        case 'approved':
        case 'activating':
        case 'active':
        case 'expiring':
          await callApi(this.graph, { method: 'POST', url: `${url}/requests`, body: { action: 'terminate' } });
          return 'terminated';
        default:
          return 'gone';
      }
    }
  }

  async accessAssignments(relationshipId: string): Promise<readonly AccessAssignment[]> {
    const all: AccessAssignment[] = [];
    let url = `${this.relationshipsUrl()}/${encodeURIComponent(relationshipId)}/accessAssignments`;
    for (;;) {
      const answer = await callApi(this.graph, { method: 'GET', url });
      const page = answer.body as { value?: GraphAccessAssignment[]; '@odata.nextLink'?: string } | undefined;
      for (const item of page?.value ?? []) {
        const assignment = toAccessAssignment(item);
        if (assignment) all.push(assignment);
      }
      const next = page?.['@odata.nextLink'];
      if (!next) return all;
      url = this.sameOrigin(next, this.graphUrl());
    }
  }

  /**
   * `POST …/accessAssignments`. Whether Graph refuses a second assignment for the same group (and with which status)
   * is not documented: a 409 is answered by looking the group's assignment up, so a retry never makes two.
   */
  async assignAccess(relationshipId: string, setting: AccessAssignmentSetting): Promise<AccessAssignment> {
    const answer = await callApi(this.graph, {
      method: 'POST',
      url: `${this.relationshipsUrl()}/${encodeURIComponent(relationshipId)}/accessAssignments`,
      body: {
        accessContainer: { accessContainerId: setting.groupId, accessContainerType: 'securityGroup' },
        accessDetails: { unifiedRoles: setting.roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
      },
      accept: [400, 403, 404, 409],
    });
    const created = answer.status < 300 ? toAccessAssignment(answer.body as GraphAccessAssignment) : undefined;
    if (created) return created;
    if (answer.status === 409) {
      const existing = (await this.accessAssignments(relationshipId)).find(
        (a) => a.groupId === setting.groupId.toLowerCase() && a.status !== 'deleted',
      );
      if (existing) return existing;
    }
    throw new UpstreamError(
      `Microsoft Graph refused the access assignment for group ${setting.groupId} (${answer.status}): ${describeError(answer.body)}`,
      'Microsoft Graph',
      { retryable: false },
    );
  }

  private async findByDisplayName(displayName: string): Promise<GdapRelationship | undefined> {
    const filter = `displayName eq '${displayName.replace(/'/g, "''")}'`;
    const answer = await callApi(this.graph, {
      method: 'GET',
      url: `${this.relationshipsUrl()}?$filter=${encodeURIComponent(filter)}`,
    });
    const first = (answer.body as { value?: GraphRelationship[] } | undefined)?.value?.[0];
    return first ? toRelationship(first) : undefined;
  }

  private pcUrl(): string {
    const url = this.options.partnerCenterUrl;
    return typeof url === 'string' ? url : url();
  }

  private graphUrl(): string {
    const url = this.options.graphUrl;
    return typeof url === 'string' ? url : url();
  }

  private relationshipsUrl(): string {
    return `${this.graphUrl()}/tenantRelationships/delegatedAdminRelationships`;
  }

  /** `links.next.uri` is relative and may already start with `/v1` (docs/partner-center.md#customers): never build `/v1//v1/`. */
  private nextCustomersUrl(uri: string): string {
    if (/^https?:\/\//i.test(uri)) return this.sameOrigin(uri, this.pcUrl());
    const path = uri.replace(/^\/+/, '').replace(/^v1\//i, '');
    return `${this.pcUrl()}/v1/${path}`;
  }

  /** Follow a server-given link only to the service we were configured with (tokens must not leak elsewhere). */
  private sameOrigin(link: string, base: string): string {
    if (new URL(link).origin !== new URL(base).origin) {
      throw new UpstreamError(`Refusing to follow a paging link to another host: ${new URL(link).host}`, 'paging', {
        retryable: false,
      });
    }
    return link;
  }
}

interface CustomerItem {
  id?: string;
  companyProfile?: { tenantId?: string; domain?: string; companyName?: string };
  customDomains?: string[];
  relationshipToPartner?: string;
}

interface CustomerCollection {
  items?: CustomerItem[];
  links?: { next?: { uri?: string; headers?: { key: string; value: string }[] } };
}

interface GraphRelationship {
  id: string;
  displayName?: string;
  status?: string;
  customer?: { tenantId?: string } | null;
  endDateTime?: string | null;
  autoExtendDuration?: string | null;
}

interface GraphAccessAssignment {
  id?: string;
  status?: string;
  accessContainer?: { accessContainerId?: string };
  accessDetails?: { unifiedRoles?: { roleDefinitionId?: string }[] };
}

function toAccessAssignment(item: GraphAccessAssignment | undefined): AccessAssignment | undefined {
  const groupId = item?.accessContainer?.accessContainerId;
  if (!item?.id || !groupId) return undefined;
  return {
    id: item.id,
    groupId: groupId.toLowerCase(),
    roles: (item.accessDetails?.unifiedRoles ?? []).flatMap((r) =>
      r.roleDefinitionId ? [r.roleDefinitionId.toLowerCase()] : [],
    ),
    status: item.status ?? 'unknownFutureValue',
  };
}

function toCustomer(item: CustomerItem): PartnerCustomer | undefined {
  const tenantId = item.companyProfile?.tenantId ?? item.id;
  if (!tenantId) return undefined;
  const domains = [item.companyProfile?.domain, ...(item.customDomains ?? [])].filter(
    (d): d is string => typeof d === 'string' && d.length > 0,
  );
  return {
    tenantId: tenantId.toLowerCase(),
    companyName: item.companyProfile?.companyName ?? '',
    domains,
    relationshipToPartner: (item.relationshipToPartner ?? 'reseller').toLowerCase(),
  };
}

function toRelationship(r: GraphRelationship): GdapRelationship {
  return {
    id: r.id,
    displayName: r.displayName ?? '',
    status: (r.status ?? 'unknownFutureValue') as GdapStatus,
    customerTenantId: r.customer?.tenantId?.toLowerCase() ?? undefined,
    endDateTime: r.endDateTime ?? undefined,
    autoExtendDuration: r.autoExtendDuration ?? undefined,
  };
}
