/** A mail as the local SES keeps it (`GET /store`). */
export interface CaughtMail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  at: number;
}

export async function caughtMails(sesUrl: string): Promise<CaughtMail[]> {
  const response = await fetch(`${sesUrl}/store`);
  return ((await response.json()) as { emails: CaughtMail[] }).emails;
}

export async function mailsTo(sesUrl: string, address: string): Promise<CaughtMail[]> {
  return (await caughtMails(sesUrl)).filter(({ destination }) => destination.to.some((to) => to.includes(address)));
}

/** How many mails the local SES caught to `address`. */
export async function mailCountTo(sesUrl: string, address: string): Promise<number> {
  return (await mailsTo(sesUrl, address)).length;
}
