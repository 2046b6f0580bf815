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
    })
    .returning({ id: outboxMessage.id });
  return row!.id;
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

/** Sends waiting SMTP messages; returns how many were sent. Failures are kept on the row, never lost. */
export async function dispatchMail(
  database: Database,
  config: Config,
  transport: Transporter,
): Promise<number> {
  return withSystem(database, async (tx) => {
    const waiting = await tx
      .select()
      .from(outboxMessage)
      .where(and(eq(outboxMessage.delivery, 'smtp'), isNull(outboxMessage.sentAt)))
      .limit(20)
      .for('update', { skipLocked: true });
    let sent = 0;
    for (const message of waiting) {
      try {
        await transport.sendMail({
          from: config.mailFrom,
          to: message.toAddress,
          subject: message.subject,
          text: message.bodyText,
        });
        await tx
          .update(outboxMessage)
          .set({ sentAt: new Date(), failure: null })
          .where(eq(outboxMessage.id, message.id));
        sent += 1;
      } catch (error) {
        const failure = error instanceof Error ? error.message.slice(0, 500) : 'unknown failure';
        await tx.update(outboxMessage).set({ failure }).where(eq(outboxMessage.id, message.id));
      }
    }
    return sent;
  });
}
