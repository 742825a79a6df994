import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { SocketCommand, SocketCommandPayload } from '@showroom/core';
import { IsString } from 'class-validator';
import { SocketCommandRegistry } from './socket-command-registry';

class EchoCommand extends SocketCommandPayload {
  @IsString()
  text: string;
}

@Injectable()
class EchoCommands {
  @SocketCommand('echo.say', EchoCommand)
  say(command: EchoCommand) {
    return { said: command.text };
  }

  @SocketCommand('echo.ping')
  ping() {
    return { pong: true };
  }
}

@Injectable()
class OtherEchoCommands {
  @SocketCommand('echo.say', EchoCommand)
  sayToo() {
    return {};
  }
}

async function registryWith(...providers: (new (...args: never[]) => unknown)[]) {
  const module = await Test.createTestingModule({ imports: [DiscoveryModule], providers: [SocketCommandRegistry, ...providers] }).compile();
  await module.init();
  return module.get(SocketCommandRegistry);
}

describe('SocketCommandRegistry', () => {
  it('finds every @SocketCommand method and validates payloads with the HTTP rules', async () => {
    const registry = await registryWith(EchoCommands);
    expect(registry.names.sort()).toEqual(['echo.ping', 'echo.say']);

    const { command, payload } = await registry.parse('echo.say', { text: 'hi', requestId: 'r-1' });
    expect(payload).toBeInstanceOf(EchoCommand);
    expect(payload).toMatchObject({ text: 'hi', requestId: 'r-1' });
    expect(command.location).toBe('EchoCommands.say');
    // A bare frame is an empty payload, which a command without fields accepts.
    await expect(registry.parse('echo.ping', undefined)).resolves.toBeDefined();
  });

  it('refuses unknown events, non-object payloads and unknown or invalid fields, listing each problem', async () => {
    const registry = await registryWith(EchoCommands);
    await expect(registry.parse('echo.shout', {})).rejects.toMatchObject({ code: 'UNKNOWN_EVENT', details: [{ field: 'event', message: 'one of: echo.say, echo.ping' }] });
    await expect(registry.parse('echo.say', 'hi')).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ message: 'The payload must be a JSON object.' }] });
    const invalid = registry.parse('echo.say', { text: 3, admin: true, requestId: 'has spaces' });
    await expect(invalid).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: 'The message has invalid or unknown fields.' });
    const details = (await invalid.catch((error: { details: { field: string }[] }) => error.details)) as { field: string }[];
    expect(details.map((d) => d.field).sort()).toEqual(['admin', 'requestId', 'text']);
  });

  it('refuses to start when two handlers claim one command name, naming both', async () => {
    await expect(registryWith(EchoCommands, OtherEchoCommands)).rejects.toThrow(
      'socket command echo.say has two handlers: EchoCommands.say and OtherEchoCommands.sayToo',
    );
  });

  it('refuses a command name without its domain', () => {
    expect(() => SocketCommand('ask')).toThrow('must be named <domain>.<action>');
  });
});
