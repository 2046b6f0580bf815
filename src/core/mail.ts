import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import nodemailer from 'nodemailer';
import type { Config } from './config.ts';
import type { Database } from './database/connect.ts';
import { outboxMessage } from './database/schema.ts';
import type { Scope } from './database/tenancy.ts';
import { withSystem } from './database/tenancy.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The message carries a one-time link: the outbox hides it from everyone but who may pass it on. */
  linkKind?: 'invitation' | 'password-reset';
}

/**
 * Every email is first written to the organisation's outbox in the same transaction as the change that
 * caused it. With SMTP configured a dispatcher then sends it; without, it waits in the outbox where an
 * admin can read it, so the embedded default works with no mail server.
 */
export async function queueMail(scope: Scope, config: Config, message: MailMessage): Promise<string> {
  const [row] = await scope.tx
    .insert(outboxMessage)
    .values({
      organisationId: scope.organisationId,
      toAddress: message.to,
      subject: message.subject,
      bodyText: message.text,
      delivery: config.smtpUrl ? 'smtp' : 'outbox',
      linkKind: message.linkKind ?? null,
      causedByPersonId: scope.actorPersonId,
    })
    .returning({ id: outboxMessage.id });
  return row!.id;
}

/** A one-time link in a message's text (an invitation or a password reset), wherever it points. */
export const oneTimeLinkPattern = /\S*\/(?:invitation|password-reset)\/[A-Za-z0-9_-]{16,}\S*/g;

/**
 * What a reader of the outbox may see of a message. A live one-time link is a credential for someone
 * else, so it shows only in an invitation that the reader sent themselves (to pass on by hand); every
 * other link is replaced by `hidden`. Mail that a server sends is not for reading here at all.
 */
export function outboxText(
  message: { bodyText: string; linkKind: string | null; causedByPersonId: string | null },
  readerPersonId: string,
  hidden: string,
): string {
  if (message.linkKind === 'invitation' && message.causedByPersonId === readerPersonId)
    return message.bodyText;
  return message.bodyText.replace(oneTimeLinkPattern, hidden);
}

export function listOutbox(scope: Scope, limit = 50) {
  return scope.tx
    .select()
    .from(outboxMessage)
    .where(eq(outboxMessage.organisationId, scope.organisationId))
    .orderBy(desc(outboxMessage.createdAt))
    .limit(limit);
}

export function smtpTransport(config: Config): Transporter | null {
  return config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : null;
}

/**
 * Sends waiting SMTP messages one at a time; returns how many were sent. Each is claimed in a short
 * transaction and sent outside it, so a slow mail server never holds the database (PGlite has one
 * connection). Once delivered, the text is not kept: it may hold a one-time link. Failures keep the
 * message and the reason, to try again.
 */
export async function dispatchMail(
  database: Database,
  config: Config,
  transport: Transporter,
  batch = 20,
): Promise<number> {
  let sent = 0;
  for (let n = 0; n < batch; n++) {
    const [message] = await withSystem(database, async (tx) => {
      const [next] = await tx
        .select({ id: outboxMessage.id })
        .from(outboxMessage)
        .where(
          and(
            eq(outboxMessage.delivery, 'smtp'),
            isNull(outboxMessage.sentAt),
            isNull(outboxMessage.failure),
          ),
        )
        .orderBy(outboxMessage.createdAt)
        .limit(1)
        .for('update', { skipLocked: true });
      if (!next) return [];
      return tx
        .update(outboxMessage)
        .set({ sentAt: new Date() })
        .where(eq(outboxMessage.id, next.id))
        .returning();
    });
    if (!message) break;
    try {
      await transport.sendMail({
        from: config.mailFrom,
        to: message.toAddress,
        subject: message.subject,
        text: message.bodyText,
      });
      await withSystem(database, (tx) =>
        tx.update(outboxMessage).set({ bodyText: '' }).where(eq(outboxMessage.id, message.id)),
      );
      sent += 1;
    } catch (error) {
      const failure = error instanceof Error ? error.message.slice(0, 500) : 'unknown failure';
      await withSystem(database, (tx) =>
        tx.update(outboxMessage).set({ sentAt: null, failure }).where(eq(outboxMessage.id, message.id)),
      );
    }
  }
  return sent;
}

/** Failed messages get another try on the next round, not in the same one. */
export async function retryFailedMail(database: Database): Promise<void> {
  await withSystem(database, (tx) =>
    tx
      .update(outboxMessage)
      .set({ failure: null })
      .where(and(eq(outboxMessage.delivery, 'smtp'), isNull(outboxMessage.sentAt))),
  );
}
