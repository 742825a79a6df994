import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ClientIp, CurrentPrincipal, Public } from '../../guards/auth.decorators';
import type { Principal } from '../../principal';
import { AuthRateLimited } from '../../rate-limit/rate-limit.decorator';
import { AuthService } from '../auth.service';
import { LoginDto, RefreshTokenDto, RegisterDto } from './auth.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @AuthRateLimited()
  @Post('register')
  register(@Body() body: RegisterDto, @ClientIp() ip: string | undefined) {
    return this.auth.register(body, ip);
  }

  @Public()
  @AuthRateLimited()
  @Post('login')
  @HttpCode(200)
  login(@Body() body: LoginDto, @ClientIp() ip: string | undefined) {
    return this.auth.login(body, ip);
  }

  @Public()
  @AuthRateLimited()
  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() body: RefreshTokenDto, @ClientIp() ip: string | undefined) {
    return this.auth.refresh(body.refreshToken, ip);
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(@Body() body: RefreshTokenDto, @ClientIp() ip: string | undefined) {
    await this.auth.logout(body.refreshToken, ip);
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return this.auth.me(principal);
  }
}
