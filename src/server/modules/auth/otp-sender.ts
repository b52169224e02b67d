import type { FastifyBaseLogger } from 'fastify';

/**
 * Sends one-time sign-in codes. Production plugs in an SMS gateway; the development sender writes the code
 * to the server log and keeps the last code per phone in memory (for the test suite and the demo).
 */
export interface OtpSender {
  send(phone: string, code: string): Promise<void>;
}

export class DevelopmentOtpSender implements OtpSender {
  readonly #last = new Map<string, string>();
  #log: FastifyBaseLogger | undefined;
  /** The server's logger, once the server exists. */
  attachLogger(log: FastifyBaseLogger) {
    this.#log = log;
  }
  async send(phone: string, code: string): Promise<void> {
    this.#last.set(phone, code);
    this.#log?.info({ phone, code }, `[development SMS] sign-in code for ${phone}: ${code}`);
  }
  lastCode(phone: string): string | undefined {
    return this.#last.get(phone);
  }
}
