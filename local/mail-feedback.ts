/**
 * A tester bouncing a mail, or marking it as spam, locally: the event SES would publish for the
 * last mail the local SES caught for an address, handed to the bounces λ the way SNS hands it
 * over on AWS (`npm run demo -- bounce <email>`, `complain <email>`; tests call it directly).
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2, SNSEvent } from 'aws-lambda';
import { recipientTags, type MailRecipient } from '../lambdas/domain/mail-feedback.js';
import { readSurveyToken } from '../lambdas/domain/survey-token.js';
import type { MailFeedbackOutcome } from '../lambdas/journeys/mail-feedback.js';
import type { HttpHandler } from './gateway.js';

export const mailFeedbackKinds = ['bounce', 'complaint'] as const;
export type MailFeedbackKind = (typeof mailFeedbackKinds)[number];

/** A mail as the local SES keeps it (`GET /store`), as far as bouncing it goes. */
interface CaughtMail {
  messageId: string;
  destination: { to: string[] };
  body: { text?: string };
  /** Seconds since the epoch. */
  at: number;
}

const localTopicArn = 'arn:aws:sns:eu-north-1:000000000000:touchpoints-local-mail-feedback';

/**
 * The contact a survey or reminder went to. On AWS the mail's message tags say so; the local SES
 * keeps no headers, so it is read from the mail's signed unsubscribe link, which names the same
 * portal and contact. A mail without one (a deal owner's notice) names nobody, as on AWS.
 */
function recipientOf(mail: CaughtMail, surveyTokenSecret: string, now: Date): MailRecipient | undefined {
  const token = mail.body.text?.match(/\/u\/([A-Za-z0-9_.-]+)/)?.[1];
  const reading = token ? readSurveyToken(token, surveyTokenSecret, now) : { status: 'invalid' as const };
  return reading.status === 'invalid' ? undefined : { portalId: reading.claims.portalId, contactId: reading.claims.contactId };
}

/** The SES event for the mail (https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html), in an SNS record. */
export function mailFeedbackNotification(kind: MailFeedbackKind, mail: CaughtMail, recipient: MailRecipient | undefined, at: Date): SNSEvent {
  const address = mail.destination.to[0] ?? '';
  const tags = Object.fromEntries(Object.entries(recipient ? recipientTags(recipient) : {}).map(([name, value]) => [name, [value]]));
  const sesMail = { timestamp: new Date(mail.at * 1000).toISOString(), messageId: mail.messageId, destination: mail.destination.to, tags: { 'ses:configuration-set': ['local'], ...tags } };
  const event =
    kind === 'bounce'
      ? { eventType: 'Bounce', bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: address, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown (local)' }], timestamp: at.toISOString(), feedbackId: randomUUID() }, mail: sesMail }
      : { eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: address }], timestamp: at.toISOString(), feedbackId: randomUUID(), complaintFeedbackType: 'abuse' }, mail: sesMail };
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${localTopicArn}:${randomUUID()}`,
        Sns: {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: localTopicArn,
          Subject: '',
          Message: JSON.stringify(event),
          Timestamp: at.toISOString(),
          // SNS signs what it delivers to HTTP endpoints; the bounces λ is invoked by SNS itself and checks no signature.
          SignatureVersion: '1',
          Signature: '',
          SigningCertUrl: 'https://sns.eu-north-1.amazonaws.com/local.pem',
          UnsubscribeUrl: `https://sns.eu-north-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${localTopicArn}`,
          MessageAttributes: {},
        },
      },
    ],
  };
}

export interface LocalMailFeedback {
  sesUrl: string;
  surveyTokenSecret: string;
  bounces: (event: SNSEvent) => Promise<MailFeedbackOutcome[]>;
  now: () => Date;
}

/** Bounces (or complains about) the last mail sent to `address`; undefined when none was sent. */
export async function sendMailFeedback(local: LocalMailFeedback, kind: MailFeedbackKind, address: string): Promise<MailFeedbackOutcome[] | undefined> {
  const { emails } = (await (await fetch(`${local.sesUrl}/store`)).json()) as { emails: CaughtMail[] };
  const wanted = address.trim().toLowerCase();
  // A recipient may be written `Name <address>`: the address must match whole, not as a part of another.
  const addressOf = (recipient: string) => (/<([^>]+)>/.exec(recipient)?.[1] ?? recipient).trim().toLowerCase();
  const mail = emails.filter(({ destination }) => destination.to.some((to) => addressOf(to) === wanted)).at(-1);
  if (!mail) return undefined;
  const now = local.now();
  return local.bounces(mailFeedbackNotification(kind, mail, recipientOf(mail, local.surveyTokenSecret, now), now));
}

/** `POST /local/mail-feedback/{kind}?to=<address>`: what the demo CLI calls on the running stack. */
export function mailFeedbackRoute(local: LocalMailFeedback): HttpHandler {
  return async (event): Promise<APIGatewayProxyStructuredResultV2> => {
    const kind = event.pathParameters?.kind;
    const to = event.queryStringParameters?.to;
    if (!mailFeedbackKinds.includes(kind as MailFeedbackKind) || !to) return answer(400, { message: 'POST /local/mail-feedback/{bounce|complaint}?to=<email address>' });
    const outcomes = await sendMailFeedback(local, kind as MailFeedbackKind, to);
    return outcomes ? answer(200, { outcomes }) : answer(404, { message: `The local SES has sent no mail to ${to}.` });
  };
}

const answer = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({ statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
