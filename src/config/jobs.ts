/** Scheduled work: POLL_SCHEDULE (the reconciler), REMINDER_SCHEDULE and REMINDER_AFTER_DAYS. */
import { z } from 'zod';
import { defineArea } from './area.js';
import { schedule } from './fields.js';

export const jobs = defineArea({
  schema: z.object({
    POLL_SCHEDULE: schedule('*/5 * * * *').default('*/5 * * * *'),
    REMINDER_SCHEDULE: schedule('0 9 * * 1-5').default('0 9 * * 1-5'),
    REMINDER_AFTER_DAYS: z.coerce
      .number({ error: 'must be a whole number of days from 1 to 90' })
      .int('must be a whole number of days from 1 to 90')
      .min(1, 'must be a whole number of days from 1 to 90')
      .max(90, 'must be a whole number of days from 1 to 90')
      .default(3),
  }),
  build: (e) => ({ poll: e.POLL_SCHEDULE, reminder: e.REMINDER_SCHEDULE, reminderAfterDays: e.REMINDER_AFTER_DAYS }),
});
