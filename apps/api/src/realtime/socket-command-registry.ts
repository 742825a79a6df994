import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Principal } from '@showroom/auth';
import {
  AppException,
  SOCKET_COMMAND_METADATA,
  SocketCommandHandlerFn,
  SocketCommandMetadata,
  SocketCommandPayload,
  createValidationPipe,
} from '@showroom/core';
import { SocketErrors } from './socket-errors';

export interface RegisteredSocketCommand extends SocketCommandMetadata {
  handle: SocketCommandHandlerFn<SocketCommandPayload, Principal>;
  /** `Class.method`, for messages. */
  location: string;
}

/**
 * Every @SocketCommand method of the application, found at boot; two handlers for one command
 * name refuse the start, naming both (as the job registry does for jobs). Turns a received
 * frame into its command and validated payload, with the HTTP validation rules.
 */
@Injectable()
export class SocketCommandRegistry implements OnModuleInit {
  private commands = new Map<string, RegisteredSocketCommand>();
  private readonly validation = createValidationPipe();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const byName = new Map<string, RegisteredSocketCommand>();
    const problems: string[] = [];
    for (const command of this.discover()) {
      const existing = byName.get(command.name);
      if (existing) problems.push(`socket command ${command.name} has two handlers: ${existing.location} and ${command.location}`);
      else byName.set(command.name, command);
    }
    if (problems.length > 0) throw new Error(`Socket commands are ambiguous:\n  - ${problems.join('\n  - ')}`);
    this.commands = byName;
  }

  get names(): string[] {
    return [...this.commands.keys()];
  }

  /** The command and its payload as an instance of the command's class, or UNKNOWN_EVENT / VALIDATION_FAILED listing every problem. */
  async parse(event: string, payload: unknown): Promise<{ command: RegisteredSocketCommand; payload: SocketCommandPayload }> {
    const command = this.commands.get(event);
    if (!command) throw SocketErrors.unknownEvent(event, this.names);
    // A command may be sent bare: socket.emit('documents.subscribe') (an ack makes that null).
    const body = payload === undefined || payload === null ? {} : payload;
    if (typeof body !== 'object' || Array.isArray(body)) throw SocketErrors.validation([{ message: 'The payload must be a JSON object.' }]);
    try {
      return { command, payload: (await this.validation.transform(body, { type: 'body', metatype: command.payload })) as SocketCommandPayload };
    } catch (error) {
      if (error instanceof AppException && error.code === 'VALIDATION_FAILED') throw SocketErrors.validation(error.details);
      throw error;
    }
  }

  private discover(): RegisteredSocketCommand[] {
    return this.discovery.getProviders().flatMap((wrapper) => {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) return [];
      const prototype = Object.getPrototypeOf(instance) as object;
      return this.scanner.getAllMethodNames(prototype).flatMap((methodName) => {
        const method = instance[methodName] as RegisteredSocketCommand['handle'];
        const metadata = this.reflector.get<SocketCommandMetadata | undefined>(SOCKET_COMMAND_METADATA, method);
        if (!metadata) return [];
        return [{ ...metadata, handle: method.bind(instance), location: `${prototype.constructor.name}.${methodName}` }];
      });
    });
  }
}
