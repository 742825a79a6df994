import { Injectable } from '@nestjs/common';

/** An error answer in a wire format other than the envelope: status and JSON body. */
export type ErrorFormat = (exception: unknown) => { status: number; body: unknown };

/**
 * Paths whose errors leave in another API's shape, also when the failure happens before any
 * controller is chosen (body parsing, a path that cannot be decoded): the global filter asks
 * here first. A lib registers its prefix at start (the OpenAI-compatible /v1 does), so core
 * never learns another API's format.
 */
@Injectable()
export class ErrorFormats {
  private readonly byPrefix = new Map<string, ErrorFormat>();

  register(pathPrefix: string, format: ErrorFormat): void {
    this.byPrefix.set(pathPrefix, format);
  }

  formatFor(path: string): ErrorFormat | undefined {
    for (const [prefix, format] of this.byPrefix) if (path.startsWith(prefix)) return format;
    return undefined;
  }
}
