// The anchor for the framework tax: a minimal NestJS + Express app (one controller, nothing
// else) answering the same JSON as /health/live. What Showroom's own stack costs is read
// against this, since Nest and Express themselves are a choice already made.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

class HealthController {
  live() {
    return { status: 'ok' };
  }
}
// Plain JS has no decorator syntax: apply Nest's decorators as functions.
Get('health/live')(HealthController.prototype, 'live', Object.getOwnPropertyDescriptor(HealthController.prototype, 'live'));
Controller()(HealthController);
class AnchorModule {}
Module({ controllers: [HealthController] })(AnchorModule);

const app = await NestFactory.create(AnchorModule, { logger: false });
await app.listen(Number(process.env.PORT ?? 3898), '127.0.0.1');
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
