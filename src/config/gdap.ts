/** Admin access per request: GDAP_ENABLED, GDAP_ROLES, GDAP_DURATION, GDAP_AUTO_EXTEND, GDAP_ACCESS_ASSIGNMENTS. */
import { z } from 'zod';
import type { AccessAssignmentSetting } from '../core/model.js';
import { defineArea } from './area.js';
import { flag, GUID, guid, list } from './fields.js';

/** Least-privilege GDAP roles (Entra role template ids): Directory Readers, Global Reader, Service Support Administrator. */
export const DEFAULT_GDAP_ROLES = [
  '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  'f023fd81-a637-4b56-95fd-791ac0226033',
] as const;
const GLOBAL_ADMINISTRATOR_ROLE = '62e90394-69f5-4237-9190-012177145e10';

export const gdap = defineArea({
  schema: z.object({
    GDAP_ENABLED: flag(true),
    GDAP_ROLES: list(guid('an Entra role template id')).optional(),
    GDAP_DURATION: z
      .string()
      .regex(/^P(\d+D|[12]Y)$/, 'must be an ISO-8601 duration in days (P1D to P730D) or P1Y / P2Y')
      .refine(
        (v) => !/D$/.test(v) || (Number(v.slice(1, -1)) >= 1 && Number(v.slice(1, -1)) <= 730),
        'must be between P1D and P730D (two years)',
      )
      .default('P730D'),
    GDAP_AUTO_EXTEND: flag(false),
    GDAP_ACCESS_ASSIGNMENTS: z.string().optional(),
  }),
  build(e, { problem, warn }) {
    const roles = e.GDAP_ROLES ?? [...DEFAULT_GDAP_ROLES];
    if (e.GDAP_ENABLED && roles.length === 0) {
      problem('GDAP_ROLES: empty — list at least one Entra role template id, or set GDAP_ENABLED=false.');
    }
    const globalAdmin = roles.some((r) => r.toLowerCase() === GLOBAL_ADMINISTRATOR_ROLE);
    if (globalAdmin && e.GDAP_AUTO_EXTEND) {
      problem(
        'GDAP_AUTO_EXTEND: Microsoft refuses auto-extend for relationships that include Global Administrator ' +
          `(${GLOBAL_ADMINISTRATOR_ROLE}); remove that role from GDAP_ROLES or set GDAP_AUTO_EXTEND=false.`,
      );
    } else if (globalAdmin) {
      warn(
        'GDAP_ROLES includes Global Administrator: such relationships cannot auto-extend, and customers often refuse them.',
      );
    }
    const accessAssignments = parseAccessAssignments(e.GDAP_ACCESS_ASSIGNMENTS ?? '', roles, problem);
    return {
      enabled: e.GDAP_ENABLED,
      roles,
      duration: e.GDAP_DURATION,
      autoExtend: e.GDAP_AUTO_EXTEND,
      accessAssignments,
    };
  },
});

/**
 * `<group object id>=<role id>[,<role id>…]` entries separated by `;`. Every problem is one line naming the entry;
 * a role must be one the relationship asks for (Graph refuses others).
 */
export function parseAccessAssignments(
  raw: string,
  requested: readonly string[],
  problem: (line: string) => void,
): AccessAssignmentSetting[] {
  const wanted = new Set(requested.map((r) => r.toLowerCase()));
  const groups = new Map<string, AccessAssignmentSetting>();
  const entries = raw
    .split(';')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  for (const entry of entries) {
    const at = `GDAP_ACCESS_ASSIGNMENTS: "${entry}"`;
    const [group = '', roleList, ...rest] = entry.split('=').map((p) => p.trim());
    if (roleList === undefined || rest.length > 0) {
      problem(`${at} must be <security group object id>=<role id>[,<role id>…]`);
      continue;
    }
    if (!GUID.test(group)) {
      problem(`${at}: the group must be a security group's object id (a GUID)`);
      continue;
    }
    const roles = roleList
      .split(',')
      .map((r) => r.trim().toLowerCase())
      .filter((r) => r.length > 0);
    if (roles.length === 0) problem(`${at}: name at least one role id after "="`);
    const bad = roles.filter((r) => !GUID.test(r));
    if (bad.length > 0) problem(`${at}: not a role template id: ${bad.join(', ')}`);
    const unrequested = roles.filter((r) => GUID.test(r) && !wanted.has(r));
    if (unrequested.length > 0) {
      problem(`${at}: ${unrequested.join(', ')} not among the requested roles (GDAP_ROLES); Graph would refuse it`);
    }
    const key = group.toLowerCase();
    if (groups.has(key)) problem(`${at}: the group is listed twice; put all its roles in one entry`);
    else if (roles.length > 0) groups.set(key, { groupId: key, roles: [...new Set(roles)] });
  }
  return [...groups.values()];
}
