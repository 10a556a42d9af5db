import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { IllegalTransitionError } from '../../../src/core/errors.js';
import {
  ADMIN_ACCESS_STATES,
  STATUSES,
  type AdminAccess,
  type RelationshipRequest,
  type Status,
} from '../../../src/core/model.js';
import {
  applyChange,
  changeAdminAccess,
  changeCardLocation,
  changeDraft,
  changeStatus,
} from '../../../src/core/requests/state-machine.js';
import { request } from '../../contract/store-contract.js';

const AT = '2026-11-23T12:00:00.000Z';
const ANA = { kind: 'user', platform: 'teams', id: '29:1ana', name: 'Ana Lopez' } as const;

// Written out again from docs/behaviour.md#requests-and-their-states, independently of the implementation's table.
const DOCUMENTED_STATUS: Record<Status, Status[]> = {
  draft: ['sent', 'cancelled', 'accepted'],
  sent: ['accepted', 'cancelled', 'expired'],
  accepted: ['removed'],
  cancelled: [],
  expired: [],
  removed: [],
};
const DOCUMENTED_ADMIN: Record<AdminAccess, AdminAccess[]> = {
  'not-requested': ['pending'],
  pending: ['granted', 'expired', 'revoked'],
  // asking again (docs/behaviour.md#asking-again): a renewal, or after the end
  granted: ['revoked', 'expired', 'pending'],
  revoked: ['pending'],
  expired: ['pending'],
};

describe('request state machines (docs/behaviour.md#requests-and-their-states)', () => {
  describe('status', () => {
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        const r = request('RR-00001', { status: from });
        if (from === to) {
          it(`${from} → ${to} is a replay: no change`, () => {
            assert.equal(changeStatus(r, to, ANA, AT), null);
          });
        } else if (DOCUMENTED_STATUS[from].includes(to)) {
          it(`${from} → ${to} is allowed and recorded with actor and time`, () => {
            const change = changeStatus(r, to, ANA, AT, 'why');
            assert.deepEqual(change, {
              at: AT,
              set: { status: to },
              append: [{ type: 'status', from, to, at: AT, actor: ANA, note: 'why' }],
            });
          });
        } else {
          it(`${from} → ${to} is refused`, () => {
            assert.throws(
              () => changeStatus(r, to, ANA, AT),
              (err) =>
                err instanceof IllegalTransitionError &&
                err.machine === 'status' &&
                err.from === from &&
                err.to === to &&
                err.message.includes('RR-00001'),
            );
          });
        }
      }
    }
  });

  describe('adminAccess', () => {
    for (const from of ADMIN_ACCESS_STATES) {
      for (const to of ADMIN_ACCESS_STATES) {
        const r = request('RR-00001', { adminAccess: from });
        if (from === to) {
          it(`${from} → ${to} is a replay: no change`, () => {
            assert.equal(changeAdminAccess(r, to, ANA, AT), null);
          });
        } else if (DOCUMENTED_ADMIN[from].includes(to)) {
          it(`${from} → ${to} is allowed`, () => {
            const change = changeAdminAccess(r, to, { kind: 'system', name: 'Partner Center webhook' }, AT);
            assert.equal(change?.set.adminAccess, to);
            assert.deepEqual(change.append[0], {
              type: 'adminAccess',
              from,
              to,
              at: AT,
              actor: { kind: 'system', name: 'Partner Center webhook' },
            });
          });
        } else {
          it(`${from} → ${to} is refused`, () => {
            assert.throws(() => changeAdminAccess(r, to, ANA, AT), IllegalTransitionError);
          });
        }
      }
    }
  });

  it('refuses with messages a person understands', () => {
    assert.throws(() => changeStatus(request('RR-7K2Q9', { status: 'cancelled' }), 'sent', ANA, AT), {
      message: "Request RR-7K2Q9 is cancelled, so it can't be marked as sent.",
    });
  });

  it('saving an identical draft or card location changes nothing', () => {
    const r = request('RR-00001', { card: { platform: 'teams', conversationId: 'c', messageId: 'm' } });
    assert.equal(changeDraft(r, r.draft, ANA, AT), null);
    assert.equal(changeCardLocation(r, { platform: 'teams', conversationId: 'c', messageId: 'm' }, AT), null);
    const moved = changeCardLocation(r, { platform: 'teams', conversationId: 'c', messageId: 'm2' }, AT);
    assert.deepEqual(moved?.append, [], 'card bookkeeping is not a timeline event');
  });

  it('for any sequence of attempted moves: state stays reachable, and timeline and version count the changes', () => {
    const moves = fc.array(
      fc.oneof(
        fc.record({ machine: fc.constant('status' as const), to: fc.constantFrom(...STATUSES) }),
        fc.record({ machine: fc.constant('adminAccess' as const), to: fc.constantFrom(...ADMIN_ACCESS_STATES) }),
      ),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(moves, (list) => {
        let r: RelationshipRequest = request('RR-00001');
        let applied = 0;
        for (const move of list) {
          const before = r;
          try {
            const change =
              move.machine === 'status' ? changeStatus(r, move.to, ANA, AT) : changeAdminAccess(r, move.to, ANA, AT);
            if (change) {
              r = applyChange(r, change);
              applied++;
            } else {
              assert.equal(before[move.machine], move.to, 'only a replay is a no-op');
            }
          } catch (err) {
            assert.ok(err instanceof IllegalTransitionError);
            const allowed = move.machine === 'status' ? DOCUMENTED_STATUS[r.status] : DOCUMENTED_ADMIN[r.adminAccess];
            assert.ok(!(allowed as string[]).includes(move.to), `${move.to} was allowed but refused`);
            assert.equal(r, before, 'a refusal changes nothing');
          }
        }
        assert.equal(r.timeline.length, 1 + applied);
        assert.equal(r.version, 1 + applied);
      }),
    );
  });
});
