import { Injectable } from '@nestjs/common';

/**
 * Flipped on SIGTERM before anything closes, so readiness fails and traffic drains away.
 * Long-lived responses (event streams) register to be ended then, so that closing the HTTP
 * server does not wait on them for the whole grace period; their clients reconnect to
 * another pod.
 */
@Injectable()
export class ShutdownState {
  private draining = false;
  private readonly onDrain = new Set<() => void>();

  beginDraining(): void {
    this.draining = true;
    for (const callback of this.onDrain) callback();
    this.onDrain.clear();
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Runs `callback` when draining starts (at once if it has); returns an unregister function. */
  whenDraining(callback: () => void): () => void {
    if (this.draining) {
      callback();
      return () => undefined;
    }
    this.onDrain.add(callback);
    return () => this.onDrain.delete(callback);
  }
}
