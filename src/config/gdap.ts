/** Admin access per request: GDAP_ENABLED, GDAP_ROLES, GDAP_DURATION. */
import { z } from 'zod';
import { defineArea } from './area.js';
import { flag, guid, list } from './fields.js';

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
  }),
  build(e, { problem, warn }) {
    const roles = e.GDAP_ROLES ?? [...DEFAULT_GDAP_ROLES];
    if (e.GDAP_ENABLED && roles.length === 0) {
      problem('GDAP_ROLES: empty — list at least one Entra role template id, or set GDAP_ENABLED=false.');
    }
    if (roles.some((r) => r.toLowerCase() === GLOBAL_ADMINISTRATOR_ROLE)) {
      warn(
        'GDAP_ROLES includes Global Administrator: such relationships cannot auto-extend, and customers often refuse them.',
      );
    }
    return { enabled: e.GDAP_ENABLED, roles, duration: e.GDAP_DURATION };
  },
});
