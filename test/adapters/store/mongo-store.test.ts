import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { MongoBulkWriteError, MongoClient, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { clientOptions } from '../../../src/adapters/store/mongo/connection.js';
import { mapMongoError } from '../../../src/adapters/store/mongo/errors.js';
import { INDEXES } from '../../../src/adapters/store/mongo/indexes.js';
import { describeHosts, openMongoStore } from '../../../src/adapters/store/mongo/mongo-store.js';
import { handleCommand } from '../../../src/core/dispatch.js';
import { ConflictError, StorageUnavailableError, UpstreamError } from '../../../src/core/errors.js';
import { newJob } from '../../../src/core/outbox/types.js';
import { readiness } from '../../../src/http/routes/health.js';
import { request, storeContract } from '../../contract/store-contract.js';
import { coreHarness, input } from '../../support/core-harness.js';
import { closedPort } from '../../support/ports.js';

const uri = process.env['MONGODB_URI'];

storeContract(
  'MongoDB',
  () => {
    if (!uri) throw new Error('unreachable: the suite is skipped without MONGODB_URI');
    const database = `prb_test_${randomUUID().slice(0, 8)}`;
    const store = openMongoStore({ uri, database });
    return Promise.resolve({
      store,
      async dispose() {
        await store.close();
        const admin = new MongoClient(uri);
        try {
          await admin.db(database).dropDatabase();
        } finally {
          await admin.close();
        }
      },
    });
  },
  uri
    ? undefined
    : 'MONGODB_URI is not set; no MongoDB server can be installed on this machine, CI with Docker sets it',
);

describe('MongoDB store, without a server', () => {
  describe('client options', () => {
    it('sets timeouts and pool size unless the connection string does', () => {
      const defaults = clientOptions('mongodb://db.example:27017/app');
      assert.equal(defaults.serverSelectionTimeoutMS, 5000);
      assert.equal(defaults.connectTimeoutMS, 5000);
      assert.equal(defaults.socketTimeoutMS, 30000);
      assert.equal(defaults.maxPoolSize, 20);
      assert.equal(defaults.ignoreUndefined, true);
      const fromUri = clientOptions('mongodb://db.example/app?serverselectiontimeoutms=900&maxPoolSize=3');
      assert.equal(fromUri.serverSelectionTimeoutMS, undefined, 'the URI value wins');
      assert.equal(fromUri.maxPoolSize, undefined);
      assert.equal(fromUri.connectTimeoutMS, 5000);
    });

    it('lets the driver read the URI value when we did not override it', () => {
      const u = 'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=750';
      const client = new MongoClient(u, clientOptions(u));
      assert.equal(client.options.serverSelectionTimeoutMS, 750);
    });
  });

  it('describes hosts without credentials', () => {
    assert.equal(describeHosts('mongodb://bot:s3cr%40t@db1:27017,db2:27018/app?replicaSet=rs0'), 'db1:27017,db2:27018');
    assert.equal(
      describeHosts('mongodb+srv://bot:pw@cluster0.abcde.mongodb.net/?retryWrites=true'),
      'cluster0.abcde.mongodb.net',
    );
    assert.equal(describeHosts('mongodb://localhost'), 'localhost');
  });

  it('maps driver errors to the core vocabulary', () => {
    const dup = mapMongoError(
      new MongoServerError({ code: 11000, errmsg: 'E11000 duplicate key error' }),
      'Request RR-1',
    );
    assert.ok(dup instanceof ConflictError);
    assert.equal(dup.reason, 'duplicate');
    assert.equal(dup.message, 'Request RR-1 already exists.');
    const auth = mapMongoError(new MongoServerError({ code: 18, errmsg: 'Authentication failed.' }));
    assert.ok(auth instanceof StorageUnavailableError);
    const other = mapMongoError(new MongoServerError({ code: 2, errmsg: 'BadValue' }));
    assert.ok(other instanceof UpstreamError && !(other instanceof StorageUnavailableError));
    const ours = new ConflictError('x', 'version');
    assert.equal(mapMongoError(ours), ours);
    const bulk = new MongoBulkWriteError({ code: 11000, message: 'E11000 duplicate key error' }, {
      insertedCount: 1,
    } as never);
    assert.ok(mapMongoError(bulk) instanceof ConflictError);
    const selection = new MongoServerSelectionError('connect ECONNREFUSED', {} as never);
    assert.ok(mapMongoError(selection) instanceof StorageUnavailableError);
  });

  it('declares a unique index for the origin key and the GDAP relationship, and a TTL on dedupe records', () => {
    const requests = INDEXES['requests'] ?? [];
    assert.equal(requests.find((i) => i.name === 'originKey_unique')?.unique, true);
    assert.equal(requests.find((i) => i.name === 'gdapRelationshipId_unique')?.unique, true);
    assert.equal(INDEXES['dedupe']?.[0]?.expireAfterSeconds, 0);
  });
});

describe('MongoDB unreachable (real driver, closed local port)', function () {
  let store: ReturnType<typeof openMongoStore>;
  let port: number;

  beforeEach(async () => {
    port = await closedPort();
    store = openMongoStore({
      uri: `mongodb://127.0.0.1:${port}/?serverSelectionTimeoutMS=300`,
      database: 'prb_unreachable',
    });
  });
  afterEach(async () => {
    await store.close();
  });

  it('opens without throwing, and ping says why it is not ready', async () => {
    await assert.rejects(store.ping(), (err) => {
      assert.ok(err instanceof StorageUnavailableError, String(err));
      assert.match(err.message, /MongoDB is unreachable/);
      assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
      return true;
    });
  });

  it('keeps trying on later calls instead of staying broken', async () => {
    await assert.rejects(store.ping(), StorageUnavailableError);
    // The second call attempts a new connection (it is not the driver's "Topology is closed" error).
    await assert.rejects(store.requests.get('RR-00001'), (err) => {
      assert.ok(err instanceof StorageUnavailableError);
      assert.doesNotMatch(err.message, /Topology is closed/);
      return true;
    });
  });

  it('fails every repository call with StorageUnavailableError and nothing else', async () => {
    const calls: (() => Promise<unknown>)[] = [
      () => store.requests.insert(request('RR-00001')),
      () => store.requests.list({ limit: 5 }),
      () => store.requests.count({}),
      () => store.subscriptions.listActive(),
      () => store.conversations.get('k'),
      () => store.outbox.enqueue([newJob('card', 'k', { requestId: 'RR-1' }, new Date())], new Date()),
      () => store.dedupe.firstSeen('k', new Date(), new Date()),
      () => store.leases.acquire('l', 'o', new Date(), 1000),
      () => store.state.keys('customer:'),
      () => store.purge(new Date(), new Date()),
    ];
    for (const call of calls) await assert.rejects(call(), StorageUnavailableError);
  });

  it('reports /readyz-style unreadiness with the reason', async () => {
    const result = await readiness(store, 5_000);
    assert.ok(!result.ready);
    assert.match(result.reason, /MongoDB is unreachable: connect ECONNREFUSED/);
  });

  it('answers a chat command with a clear "storage unavailable" reply and logs it', async () => {
    const h = await coreHarness({ store });
    const reply = await handleCommand(h.deps, input('request relationship Contoso Ltd admin@contoso.com'));
    assert.deepEqual(reply, {
      kind: 'text',
      text: 'Storage is unavailable right now, so nothing was changed. Please try again in a minute.',
      tone: 'error',
      audience: 'user',
    });
    const listed = await handleCommand(h.deps, input('list'));
    assert.equal(listed.kind === 'text' && listed.tone, 'error');
    assert.ok(h.logs.entries().some((e) => e.msg === 'command failed: upstream unavailable'));
  });
});
