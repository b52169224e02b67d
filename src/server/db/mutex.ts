import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * A FIFO lock for the embedded database's single connection. It remembers, per async context, that the
 * context holds the lock, so code that queries the root database from inside a transaction fails loudly
 * instead of waiting for itself forever.
 */
export class ConnectionMutex {
  #tail: Promise<void> = Promise.resolve();
  #holder = new AsyncLocalStorage<boolean>();

  async lock(): Promise<() => void> {
    if (this.#holder.getStore()) {
      throw new Error('Database used outside the open transaction: use the transaction handle (trx), not the root db');
    }
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => next);
    await previous;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  }

  /**
   * Runs `fn` outside any holder's context: for callbacks the connection fires while a transaction holds it (a
   * NOTIFY heard at commit), whose follow-up work must queue for the lock like any other caller.
   */
  runOutside<T>(fn: () => T): T {
    return this.#holder.exit(fn);
  }

  /** Marks the current async context as holding the lock for the duration of `fn`. */
  runHolding<T>(fn: () => T): T {
    return this.#holder.run(true, fn);
  }
}
