import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../guards/auth.decorators';
import { PlatformService } from '../platform.service';

@ApiTags('platform')
@ApiBearerAuth()
@Roles('platform')
@Controller('platform')
export class PlatformController {
  constructor(private readonly platform: PlatformService) {}

  /** Every dealership of the deployment with its active user count (operators only). */
  @Get('dealerships')
  dealerships() {
    return this.platform.dealerships();
  }
}
