import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ArrivedMail {
  to: string;
  subject: string;
  text: string;
  /** Every header and the body as sent, to search for anything that should not be there. */
  raw: string;
}

/**
 * A real SMTP server on 127.0.0.1 for tests: the app's nodemailer speaks SMTP to it over TCP and each
 * message that arrives is parsed with mailparser, as a mail client would read it. No TLS or sign-in:
 * the test server is on loopback only.
 */
export async function startTestSmtp() {
  const arrived: ArrivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (mail: ParsedMail) => {
            arrived.push({
              to: session.envelope.rcptTo.map((address) => address.address).join(', '),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              raw: raw.toString('utf8'),
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    arrived,
    /** What arrived for one address, oldest first. */
    to(address: string) {
      return arrived.filter((mail) => mail.to === address);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
