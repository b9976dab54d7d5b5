import { SendRawEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { optionalEnv } from '../config.js';

/** SES; `endpoint` is set locally (aws-ses-v2-local), on AWS the SDK finds the regional one. */
export function sesClientFor(endpoint?: string): SESClient {
  return new SESClient({
    region: process.env.AWS_REGION ?? 'eu-north-1',
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
}

/**
 * Sends a composed MIME message; SES reads the sender and recipients from its
 * headers. Returns the SES MessageId, which bounce and complaint notifications
 * carry (SES also puts it in the Message-ID header, replacing ours).
 */
export async function sendRawMail(ses: SESClient, raw: Buffer, options: { configurationSetName?: string } = {}): Promise<string> {
  const { MessageId } = await ses.send(
    new SendRawEmailCommand({ RawMessage: { Data: raw }, ConfigurationSetName: options.configurationSetName }),
  );
  if (!MessageId) throw new Error('SES accepted the mail but returned no MessageId');
  return MessageId;
}

/** A function's mail sender from its environment: SES (locally SES_ENDPOINT), with the stack's configuration set. */
export function mailSenderFromEnvironment(): (raw: Buffer) => Promise<string> {
  const ses = sesClientFor(optionalEnv('SES_ENDPOINT'));
  const configurationSetName = optionalEnv('SES_CONFIGURATION_SET');
  return (raw) => sendRawMail(ses, raw, configurationSetName ? { configurationSetName } : undefined);
}
