/** Certificates on known cards that expire within the reminder lead time. */
import { z } from 'zod';

export const reminderSchema = z.object({
  slotId: z.string(),
  tokenLabel: z.string(),
  subjectCommonName: z.string().nullable(),
  serialNumber: z.string(),
  fingerprintSha256: z.string(),
  notAfter: z.string(),
  daysLeft: z.number().int(),
  expired: z.boolean(),
});
export type Reminder = z.infer<typeof reminderSchema>;

export const reminderListSchema = z.object({ leadDays: z.number().int(), checkedAt: z.string(), reminders: z.array(reminderSchema) });
export type ReminderList = z.infer<typeof reminderListSchema>;
