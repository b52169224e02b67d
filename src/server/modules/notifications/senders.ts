import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.ts';
import { maskPhone } from '../../http/privacy.ts';
import type { DeliveryChannel } from './notifications.tables.ts';

/**
 * Sends a message outside the app: an SMS or a WeChat template message. `template` names what happened
 * (the outbox topic, e.g. `case.resolve`); a gateway adapter maps it to the provider's template code and
 * fills it with `params`. A failed send throws; the deliverer records the error.
 */
export interface MessageSender {
  readonly channel: DeliveryChannel;
  send(to: string, template: string, params: Record<string, string>): Promise<void>;
}

export type SenderLogger = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

/** A phone number or an openid, safe for the log. */
export function maskRecipient(channel: DeliveryChannel, to: string): string {
  if (channel === 'sms') return maskPhone(to) ?? '';
  return to.length <= 6 ? '*'.repeat(to.length) : `${to.slice(0, 3)}***${to.slice(-3)}`;
}

/** The default: writes each message to the server log (recipient masked) instead of sending it. */
export class LoggingSender implements MessageSender {
  readonly channel: DeliveryChannel;
  readonly #log: SenderLogger;
  constructor(channel: DeliveryChannel, log: SenderLogger) {
    this.channel = channel;
    this.#log = log;
  }
  async send(to: string, template: string, params: Record<string, string>): Promise<void> {
    this.#log.info(
      { channel: this.channel, to: maskRecipient(this.channel, to), template, params },
      `[${this.channel}] ${template}`,
    );
  }
}

export interface SentMessage {
  channel: DeliveryChannel;
  to: string;
  template: string;
  params: Record<string, string>;
}

/** For tests: keeps every message; `failFor` makes sends to that recipient throw. */
export class RecordingSender implements MessageSender {
  readonly channel: DeliveryChannel;
  readonly sent: SentMessage[] = [];
  readonly failFor = new Set<string>();
  constructor(channel: DeliveryChannel = 'sms') {
    this.channel = channel;
  }
  async send(to: string, template: string, params: Record<string, string>): Promise<void> {
    if (this.failFor.has(to)) throw new Error(`gateway refused ${maskRecipient(this.channel, to)}`);
    this.sent.push({ channel: this.channel, to, template, params });
  }
}

/** The senders NOTIFY_SENDERS selects: `log` logs SMS and WeChat messages, `none` sends nothing. */
export function createSenders(config: Pick<Config, 'notifySenders'>, log: SenderLogger): MessageSender[] {
  switch (config.notifySenders) {
    case 'none':
      return [];
    case 'log':
      return [new LoggingSender('sms', log), new LoggingSender('wechat', log)];
  }
}
