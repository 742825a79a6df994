import { Injectable } from '@nestjs/common';

/** Flipped on SIGTERM before anything closes, so readiness fails and traffic drains away. */
@Injectable()
export class ShutdownState {
  private draining = false;

  beginDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }
}
