import { Body, Controller, HttpCode, HttpStatus, Post, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, type Tenant } from '@showroom/auth';
import { AppException } from '@showroom/core';
import type { Request, Response } from 'express';
import { TranscriptionService } from '../speech-to-text/transcription.service';
import { SpeechService } from '../text-to-speech/speech.service';
import { SpeechDto, TranscriptionDto } from './voice.dto';

/** The request's lifetime as a signal: aborts when the client goes away before the response ends. */
function clientSignal(req: Request, res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  req.on('aborted', () => controller.abort());
  return controller.signal;
}

@ApiTags('voice')
@ApiBearerAuth()
@Controller('voice')
export class VoiceController {
  constructor(
    private readonly transcriptions: TranscriptionService,
    private readonly speech: SpeechService,
  ) {}

  /** Multipart `file` (WAV PCM16 everywhere; compressed formats where the provider takes them), optional `language` -> { text, language, durationMs }. */
  @Post('transcriptions')
  @HttpCode(HttpStatus.OK)
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(FileInterceptor('file'))
  async transcribe(
    @CurrentTenant() tenant: Tenant,
    @UploadedFile() file: { buffer: Buffer } | undefined,
    @Body() body: TranscriptionDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (!file || file.buffer.length === 0) {
      throw new AppException(HttpStatus.UNPROCESSABLE_ENTITY, 'VALIDATION_FAILED', 'file is required (multipart field "file")', [{ field: 'file', message: 'file is required' }]);
    }
    const { text, language, durationMs } = await this.transcriptions.transcribeUpload(tenant, file.buffer, body.language, clientSignal(req, res));
    return { text, language, durationMs };
  }

  /** {text, voice?, format?} -> the audio, streamed as it is produced (headers go out with the first chunk). */
  @Post('speech')
  async speak(@CurrentTenant() tenant: Tenant, @Body() body: SpeechDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const signal = clientSignal(req, res);
    const stream = await this.speech.speak(tenant, body, signal);
    res.status(HttpStatus.OK);
    res.setHeader('Content-Type', stream.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Voice', stream.voice);
    res.setHeader('X-Speech-Cache', stream.cached ? 'hit' : 'miss');
    try {
      for await (const chunk of stream.audio) {
        if (signal.aborted) break;
        if (!res.write(chunk)) await new Promise<void>((resolve) => { res.once('drain', resolve); res.once('close', resolve); });
      }
      res.end();
    } catch {
      // Audio already went out: the status cannot change, so the stream is cut (the client sees it incomplete).
      res.destroy();
    } finally {
      await stream.audio.return(undefined);
    }
  }
}
