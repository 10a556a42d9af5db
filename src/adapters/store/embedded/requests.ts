import { ConflictError, NotFoundError } from '../../../core/errors.js';
import type { RelationshipRequest } from '../../../core/model.js';
import type { RequestQuery, RequestRepository } from '../../../core/ports.js';
import type { RequestChange } from '../../../core/requests/state-machine.js';
import { fromRequestDoc, requestUpdate, toRequestDoc, type RequestDoc } from '../documents.js';
import { findOne, duplicate, isDuplicate, type Collection } from './collections.js';

export const REQUEST_INDEXES = [
  { fieldName: 'originKey', unique: true, sparse: true },
  { fieldName: 'gdapRelationshipId', unique: true, sparse: true },
  { fieldName: 'scope' },
  { fieldName: 'status' },
  { fieldName: 'customerKey' },
  { fieldName: 'customerTenantId', sparse: true },
] as const;

export class EmbeddedRequests implements RequestRepository {
  constructor(private readonly db: Collection<RequestDoc>) {}

  async insert(request: RelationshipRequest): Promise<void> {
    try {
      await this.db.write(() => this.db.insertAsync(toRequestDoc(request)));
    } catch (err) {
      if (isDuplicate(err)) throw duplicate(`Request ${request.id} (or one from the same message)`);
      throw err;
    }
  }

  async get(id: string): Promise<RelationshipRequest | undefined> {
    return this.one({ _id: id });
  }

  async findByOriginKey(originKey: string): Promise<RelationshipRequest | undefined> {
    return this.one({ originKey });
  }

  async findByGdapRelationshipId(relationshipId: string): Promise<RelationshipRequest | undefined> {
    return this.one({ gdapRelationshipId: relationshipId });
  }

  async findByCustomerTenantId(tenantId: string): Promise<RelationshipRequest[]> {
    const docs = await this.db.findAsync({ customerTenantId: tenantId }).sort({ createdAt: -1, _id: -1 });
    return docs.map(fromRequestDoc);
  }

  async findByCustomerKey(scope: string, customerKey: string): Promise<RelationshipRequest[]> {
    const docs = await this.db.findAsync({ scope, customerKey }).sort({ createdAt: -1, _id: -1 });
    return docs.map(fromRequestDoc);
  }

  async list(query: RequestQuery & { readonly limit: number }): Promise<RelationshipRequest[]> {
    const docs = await this.db.findAsync(filter(query)).sort({ createdAt: -1, _id: -1 }).limit(query.limit);
    return docs.map(fromRequestDoc);
  }

  async count(query: RequestQuery): Promise<number> {
    return this.db.countAsync(filter(query));
  }

  async update(id: string, expectedVersion: number, change: RequestChange): Promise<RelationshipRequest> {
    let result;
    try {
      result = await this.db.write(() =>
        this.db.updateAsync({ _id: id, version: expectedVersion }, requestUpdate(expectedVersion, change), {
          returnUpdatedDocs: true,
        }),
      );
    } catch (err) {
      if (isDuplicate(err)) throw duplicate('Another request with that GDAP relationship');
      throw err;
    }
    if (result.numAffected === 1 && result.affectedDocuments) return fromRequestDoc(result.affectedDocuments);
    if (await findOne(this.db, { _id: id })) {
      throw new ConflictError(
        `Request ${id} was changed by someone else at the same time; please try again.`,
        'version',
      );
    }
    throw new NotFoundError(`There is no request ${id}.`);
  }

  private async one(query: Record<string, unknown>): Promise<RelationshipRequest | undefined> {
    const doc = await findOne(this.db, query);
    return doc ? fromRequestDoc(doc) : undefined;
  }
}

function filter(query: RequestQuery): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (query.scope !== undefined) f['scope'] = query.scope;
  if (query.statuses !== undefined) f['status'] = { $in: [...query.statuses] };
  if (query.adminAccess !== undefined) f['adminAccess'] = { $in: [...query.adminAccess] };
  return f;
}
