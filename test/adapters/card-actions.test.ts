/**
 * Every button in the card templates has a handler: Teams `Action.Execute` verbs (cards/teams/) against the Teams
 * verb table, Slack button `action_id`s and modal `callback_id`s (cards/slack/) against the Slack tables.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUTTON_HANDLERS, VIEW_HANDLERS } from '../../src/adapters/slack/slack-app.js';
import { VERB_HANDLERS } from '../../src/adapters/teams/on-card-action.js';
import { PACKAGE_ROOT } from '../../src/paths.js';

/** Every object in every template of `cards/<folder>/`, with the file it came from. */
function objectsIn(folder: string): { file: string; node: Record<string, unknown> }[] {
  const found: { file: string; node: Record<string, unknown> }[] = [];
  const dir = join(PACKAGE_ROOT, 'cards', folder);
  const walk = (file: string, value: unknown) => {
    if (Array.isArray(value)) for (const item of value) walk(file, item);
    else if (value && typeof value === 'object') {
      found.push({ file, node: value as Record<string, unknown> });
      for (const child of Object.values(value)) walk(file, child);
    }
  };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    walk(file, JSON.parse(readFileSync(join(dir, file), 'utf8')));
  }
  return found;
}

describe('card buttons and their handlers', () => {
  it('Teams: every Action.Execute verb in cards/teams/ has a handler, and every handler a button', () => {
    const verbs = objectsIn('teams')
      .filter(({ node }) => node['type'] === 'Action.Execute' || typeof node['verb'] === 'string')
      .map(({ file, node }) => ({ file, verb: String(node['verb']) }));
    assert.ok(verbs.length >= 6, `${verbs.length} verbs found`);
    for (const { file, verb } of verbs) {
      assert.ok(Object.hasOwn(VERB_HANDLERS, verb), `${file}: verb "${verb}" has no handler`);
    }
    assert.deepEqual(
      [...new Set(verbs.map((v) => v.verb))].sort(),
      Object.keys(VERB_HANDLERS).sort(),
      'a handler no card uses',
    );
  });

  it('Slack: every button action_id and modal callback_id in cards/slack/ has a handler', () => {
    const nodes = objectsIn('slack');
    const buttons = nodes.filter(({ node }) => node['type'] === 'button' && typeof node['action_id'] === 'string');
    assert.ok(buttons.length >= 4, `${buttons.length} buttons found`);
    for (const { file, node } of buttons) {
      const id = String(node['action_id']);
      assert.ok(Object.hasOwn(BUTTON_HANDLERS, id), `${file}: button "${id}" has no handler`);
    }
    const modals = nodes.filter(({ node }) => node['type'] === 'modal');
    for (const { file, node } of modals.filter(({ node }) => typeof node['callback_id'] === 'string')) {
      const id = String(node['callback_id']);
      assert.ok(Object.hasOwn(VIEW_HANDLERS, id), `${file}: modal "${id}" has no handler`);
    }
    assert.deepEqual(Object.keys(VIEW_HANDLERS).sort(), ['edit_draft', 'request_form', 'set_tenant']);
  });
});
