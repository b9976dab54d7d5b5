import MailComposer from 'nodemailer/lib/mail-composer';
import type { Sender, SurveyLanguage } from '@touchpoints/contracts';
import type { MailRecipient } from '../domain/mail-feedback.js';
import { mailDocument, paragraphsOf } from './mail-html.js';
import { recipientTagHeader } from './message-tags.js';

interface ReplyWords {
  subject: (company: string) => string;
  body: (input: { firstName?: string; company: string; owner: string; touchpoint: string }) => string;
}

/** The customer who answered red hears back at once, in their language. */
const replyWords: Record<SurveyLanguage, ReplyWords> = {
  en: {
    subject: (company) => `Thank you for your answer – ${company}`,
    body: ({ firstName, company, owner, touchpoint }) =>
      `${firstName ? `Dear ${firstName}` : 'Hello'},\n\nThank you for telling us how "${touchpoint}" went. We are sorry it was not better.\n${owner} from ${company} will get back to you shortly.\n\nKind regards,\n${company}`,
  },
  da: {
    subject: (company) => `Tak for dit svar – ${company}`,
    body: ({ firstName, company, owner, touchpoint }) =>
      `${firstName ? `Kære ${firstName}` : 'Hej'},\n\nTak fordi du fortalte os, hvordan "${touchpoint}" gik. Vi er kede af, at det ikke var bedre.\n${owner} fra ${company} vender tilbage til dig snarest.\n\nVenlig hilsen\n${company}`,
  },
  nb: {
    subject: (company) => `Takk for svaret ditt – ${company}`,
    body: ({ firstName, company, owner, touchpoint }) =>
      `${firstName ? `Kjære ${firstName}` : 'Hei'},\n\nTakk for at du fortalte oss hvordan "${touchpoint}" gikk. Vi beklager at det ikke var bedre.\n${owner} fra ${company} tar kontakt med deg snart.\n\nVennlig hilsen\n${company}`,
  },
};

export interface ReplyMail {
  from: Sender;
  to: string;
  language: SurveyLanguage;
  firstName?: string;
  ownerName: string;
  touchpointName: string;
  /** The contact it goes to, tagged so that SES's bounce and complaint events name them. */
  recipient: MailRecipient;
}

/** "Thank you, {owner} will get back to you" as raw MIME: a personal note, text and HTML in the survey mail's design. */
export function composeReplyMail(mail: ReplyMail): Promise<Buffer> {
  const words = replyWords[mail.language];
  const subject = words.subject(mail.from.name);
  const text = words.body({ ...(mail.firstName ? { firstName: mail.firstName } : {}), company: mail.from.name, owner: mail.ownerName, touchpoint: mail.touchpointName });
  return new MailComposer({
    from: { name: mail.from.name, address: mail.from.email },
    to: mail.to,
    subject,
    text,
    html: mailDocument({ language: mail.language, title: subject, content: paragraphsOf(text) }).markup,
    headers: recipientTagHeader(mail.recipient),
    newline: 'win',
  })
    .compile()
    .build();
}

/** A plain notice to a deal owner (a red answer on their deal). */
export function composeOwnerNotice(notice: { from: Sender; to: string; subject: string; text: string }): Promise<Buffer> {
  return new MailComposer({ from: { name: notice.from.name, address: notice.from.email }, to: notice.to, subject: notice.subject, text: notice.text, newline: 'win' }).compile().build();
}
