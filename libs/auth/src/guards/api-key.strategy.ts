import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { ApiKeyAuthenticator } from '../api-keys/api-key-authenticator';
import type { Principal } from '../principal';

/** API keys travel in the same `Authorization: Bearer` header as JWTs, so OpenAI clients work unchanged. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, 'api-key') {
  constructor(private readonly authenticator: ApiKeyAuthenticator) {
    super();
  }

  async validate(token: string): Promise<Principal | false> {
    return (await this.authenticator.authenticate(token)) ?? false;
  }
}
