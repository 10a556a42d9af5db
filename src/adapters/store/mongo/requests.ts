import type { Filter, UpdateFilter } from 'mongodb';
import { ConflictError, NotFoundError } from '../../../core/errors.js';
import type { RelationshipRequest } from '../../../core/model.js';
import type { RequestQuery, RequestRepository } from '../../../core/ports.js';
import type { RequestChange } from '../../../core/requests/state-machine.js';
import { fromRequestDoc, requestUpdate, toRequestDoc, type RequestDoc } from '../documents.js';
import type { MongoConnection } from './connection.js';

const NEWEST_FIRST = { createdAt: -1, _id: -1 } as const;

export class MongoRequests implements RequestRepository {
  constructor(private readonly connection: MongoConnection) {}

  async insert(request: RelationshipRequest): Promise<void> {
    await this.connection.run(
      (db) => db.collection<RequestDoc>('requests').insertOne(toRequestDoc(request)),
      `Request ${request.id} (or one from the same message)`,
    );
  }

  get(id: string): Promise<RelationshipRequest | undefined> {
    return this.one({ _id: id });
  }

  findByOriginKey(originKey: string): Promise<RelationshipRequest | undefined> {
    return this.one({ originKey });
  }

  findByGdapRelationshipId(relationshipId: string): Promise<RelationshipRequest | undefined> {
    return this.one({ gdapRelationshipId: relationshipId });
  }

  async findByCustomerTenantId(tenantId: string): Promise<RelationshipRequest[]> {
    const docs = await this.connection.run((db) =>
      db.collection<RequestDoc>('requests').find({ customerTenantId: tenantId }).sort(NEWEST_FIRST).toArray(),
    );
    return docs.map(fromRequestDoc);
  }

  async findByCustomerKey(scope: string, customerKey: string): Promise<RelationshipRequest[]> {
    const docs = await this.connection.run((db) =>
      db.collection<RequestDoc>('requests').find({ scope, customerKey }).sort(NEWEST_FIRST).toArray(),
    );
    return docs.map(fromRequestDoc);
  }

  async list(query: RequestQuery & { readonly limit: number }): Promise<RelationshipRequest[]> {
    const docs = await this.connection.run((db) =>
      db.collection<RequestDoc>('requests').find(filter(query)).sort(NEWEST_FIRST).limit(query.limit).toArray(),
    );
    return docs.map(fromRequestDoc);
  }

  count(query: RequestQuery): Promise<number> {
    return this.connection.run((db) => db.collection<RequestDoc>('requests').countDocuments(filter(query)));
  }

  /** One atomic `findOneAndUpdate` conditional on the version; a miss is told apart as conflict or not-found. */
  async update(id: string, expectedVersion: number, change: RequestChange): Promise<RelationshipRequest> {
    const updated = await this.connection.run(
      (db) =>
        db
          .collection<RequestDoc>('requests')
          .findOneAndUpdate(
            { _id: id, version: expectedVersion },
            requestUpdate(expectedVersion, change) as UpdateFilter<RequestDoc>,
            { returnDocument: 'after' },
          ),
      'Another request with that GDAP relationship',
    );
    if (updated) return fromRequestDoc(updated);
    const exists = await this.connection.run((db) =>
      db.collection<RequestDoc>('requests').countDocuments({ _id: id }, { limit: 1 }),
    );
    if (exists) {
      throw new ConflictError(
        `Request ${id} was changed by someone else at the same time; please try again.`,
        'version',
      );
    }
    throw new NotFoundError(`There is no request ${id}.`);
  }

  private async one(query: Filter<RequestDoc>): Promise<RelationshipRequest | undefined> {
    const doc = await this.connection.run((db) => db.collection<RequestDoc>('requests').findOne(query));
    return doc ? fromRequestDoc(doc) : undefined;
  }
}

function filter(query: RequestQuery): Filter<RequestDoc> {
  return {
    ...(query.scope === undefined ? {} : { scope: query.scope }),
    ...(query.statuses === undefined ? {} : { status: { $in: [...query.statuses] } }),
    ...(query.adminAccess === undefined ? {} : { adminAccess: { $in: [...query.adminAccess] } }),
  };
}
