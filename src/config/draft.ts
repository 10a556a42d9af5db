/** The draft email's template: DRAFT_TEMPLATE (a path; the built-in template when unset). */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { PACKAGE_ROOT } from '../paths.js';
import { defineArea } from './area.js';

export const DEFAULT_DRAFT_TEMPLATE = join(PACKAGE_ROOT, 'cards', 'draft-email.txt');

export const draft = defineArea({
  schema: z.object({ DRAFT_TEMPLATE: z.string().optional() }),
  build(e, { cwd, problem }) {
    const path = e.DRAFT_TEMPLATE ? resolve(cwd, e.DRAFT_TEMPLATE) : DEFAULT_DRAFT_TEMPLATE;
    if (e.DRAFT_TEMPLATE && !existsSync(path)) {
      problem(
        `DRAFT_TEMPLATE: no file at ${path} — point it at a readable template, or remove it to use the built-in one.`,
      );
    }
    return path;
  },
});
