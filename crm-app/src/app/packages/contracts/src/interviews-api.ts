import { z } from 'zod';
import { Score, TrafficLight } from './light.js';
import { TouchpointId } from './touchpoint.js';

/**
 * Interviews, the seed's second method, on the report tab:
 *
 *   GET  /report               → PortalReport.interviews: per weak touchpoint, customers worth interviewing
 *   POST /settings/interviews  InterviewRequest → InterviewTask (the settings λ: it may call HubSpot and write
 *                              the table; the report λ may do neither)
 *   POST /settings/interviews/names  CustomerNamesRequest → CustomerNames: the listed customers' names,
 *                              read from HubSpot (the report's summaries keep ids, no names)
 *
 * Signed `hubspot.fetch` like the settings. A second request for the same customer and
 * touchpoint answers with the same task (`created: false`), never a second task.
 */

/** A HubSpot record id: digits. */
const RecordId = z.string({ error: 'must be a HubSpot record id' }).regex(/^\d{1,20}$/, { error: 'must be a HubSpot record id' });

/** One customer worth interviewing: a recent red or yellow answer with a comment. */
export const InterviewCandidateView = z.object({
  dealId: z.string(),
  contactId: z.string(),
  /** The deal owner when the customer was asked; null when the deal had none. */
  ownerId: z.string().nullable(),
  score: Score,
  light: TrafficLight,
  answeredAt: z.iso.datetime(),
  /** The comment's first 200 characters. */
  comment: z.string(),
});
export type InterviewCandidateView = z.infer<typeof InterviewCandidateView>;

/** A weak touchpoint's candidates, at most 5, spread across owners. */
export const TouchpointInterviews = z.object({
  touchpointId: z.string(),
  candidates: z.array(InterviewCandidateView),
});
export type TouchpointInterviews = z.infer<typeof TouchpointInterviews>;

/** "Interview this customer about this touchpoint": the customer is the contact on the deal who answered. */
export const InterviewRequest = z.object({ touchpointId: TouchpointId, dealId: RecordId, contactId: RecordId }).strict();
export type InterviewRequest = z.infer<typeof InterviewRequest>;

/** The deal owner's task in HubSpot. */
export const InterviewTask = z.object({
  taskId: z.string(),
  subject: z.string(),
  /** Null when the deal has no owner: the task then has none either. */
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  requestedAt: z.iso.datetime(),
  /** False when the task existed already (an earlier click). */
  created: z.boolean(),
});
export type InterviewTask = z.infer<typeof InterviewTask>;

/** The listed customers whose names the report tab shows: at most 100, one HubSpot batch read. */
export const CustomerNamesRequest = z.object({ contactIds: z.array(RecordId).min(1).max(100) }).strict();
export type CustomerNamesRequest = z.infer<typeof CustomerNamesRequest>;

/** Each contact's first and last name as HubSpot has them; a contact without either, or gone, is left out. */
export const CustomerNames = z.object({ names: z.record(z.string(), z.string()) });
export type CustomerNames = z.infer<typeof CustomerNames>;
