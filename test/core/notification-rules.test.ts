/**
 * How notifications read: the one table (NOTIFICATION_RULES) gives each event its tone and says whether the Cloud
 * Reseller Agreement reminder may apply; both platforms render the tone, and the reminder appears only where admin
 * rights the customer had granted were taken away while the reseller relationship stands. Prints the table.
 */
import { strict as assert } from 'node:assert';
import { NOTIFICATION_SIGNS, notificationMessage } from '../../src/adapters/slack/blocks.js';
import { NOTIFICATION_COLORS, notificationCard } from '../../src/adapters/teams/cards.js';
import type { AdminAccess, RelationshipRequest, Status, TimelineEntry } from '../../src/core/model.js';
import {
  NOTIFICATION_EVENTS,
  NOTIFICATION_RULES,
  requestNotification,
  SUPPORT_REMINDER,
  type NotificationEvent,
} from '../../src/core/notifications/model.js';
import { request } from '../contract/store-contract.js';

const AT = '2026-11-25T10:00:00.000Z';
const SYSTEM = { kind: 'system', name: 'Partner Center' } as const;

function after(status: Status, ...changes: [AdminAccess, AdminAccess][]): RelationshipRequest {
  const timeline: TimelineEntry[] = changes.map(([from, to]) => ({
    type: 'adminAccess',
    from,
    to,
    at: AT,
    actor: SYSTEM,
  }));
  return request('RR-TONE1', { status, adminAccess: changes.at(-1)?.[1] ?? 'not-requested', timeline });
}

describe('notification rules (docs/behaviour.md#notifications)', () => {
  it('every event has a tone, rendered as a Teams colour and a Slack sign', () => {
    const rows: string[] = [];
    for (const event of NOTIFICATION_EVENTS) {
      const rule = NOTIFICATION_RULES[event];
      const model = requestNotification(event, after('accepted', ['pending', 'granted']), AT);
      const teams = JSON.stringify(notificationCard(model));
      assert.ok(teams.includes(`"color":"${NOTIFICATION_COLORS[rule.tone]}"`), `${event}: Teams colour`);
      const slack = notificationMessage(model);
      const header = JSON.stringify(slack.blocks[0]);
      assert.ok(header.includes(`${NOTIFICATION_SIGNS[rule.tone]} ${rule.title}`), `${event}: Slack header ${header}`);
      rows.push(
        `${event.padEnd(23)} ${rule.tone.padEnd(9)} Teams ${NOTIFICATION_COLORS[rule.tone].padEnd(9)} Slack ${NOTIFICATION_SIGNS[rule.tone]}  reminder: ${rule.reminder ? 'if granted rights were taken while the reseller relationship stands' : 'never'}`,
      );
    }
    const tones = (tone: string) => NOTIFICATION_EVENTS.filter((e) => NOTIFICATION_RULES[e].tone === tone);
    assert.deepEqual(tones('good'), ['relationship.accepted', 'admin.granted', 'admin.ready']);
    assert.deepEqual(tones('attention'), ['relationship.unmatched', 'admin.expiring', 'request.reminder']);
    assert.deepEqual(tones('bad'), ['admin.revoked', 'admin.expired', 'relationship.removed', 'request.expired']);
    // eslint-disable-next-line no-console -- the table is what this test shows
    console.log(`      notification table:\n${rows.map((r) => `        ${r}`).join('\n')}`);
  });

  it('the reseller-agreement reminder only where rights were removed or expired while the relationship stands', () => {
    const reminder = (event: NotificationEvent, r: RelationshipRequest) =>
      requestNotification(event, r, AT).supportReminder === SUPPORT_REMINDER;
    const granted: [AdminAccess, AdminAccess] = ['pending', 'granted'];
    assert.equal(reminder('admin.revoked', after('accepted', granted, ['granted', 'revoked'])), true);
    assert.equal(reminder('admin.expired', after('accepted', granted, ['granted', 'expired'])), true);
    assert.equal(
      reminder('admin.expired', after('accepted', ['pending', 'expired'])),
      false,
      'an approval link that expired unused took nothing away',
    );
    assert.equal(
      reminder('admin.revoked', after('sent', granted, ['granted', 'revoked'])),
      false,
      'no reseller relationship (yet): no reseller agreement obligations',
    );
    assert.equal(reminder('relationship.removed', after('removed', granted)), false, 'the relationship itself ended');
    for (const event of NOTIFICATION_EVENTS.filter((e) => !NOTIFICATION_RULES[e].reminder)) {
      assert.equal(reminder(event, after('accepted', granted, ['granted', 'revoked'])), false, event);
    }
  });
});
