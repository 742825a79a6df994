import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorEnvelope } from '../errors/error-envelope';

/**
 * Requests Node's HTTP parser refuses before Express sees them (headers or URL over Node's
 * 16 KiB limit, malformed HTTP) would get Node's bare status line with no body. They get the
 * envelope instead, so every error a client can cause reads the same.
 */
export function answerClientErrorsWithEnvelope(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const [status, reason, code, message] = tooLarge
      ? [431, 'Request Header Fields Too Large', 'HEADERS_TOO_LARGE', 'The request line or headers are larger than the server accepts (16 KiB).']
      : [400, 'Bad Request', 'BAD_REQUEST', 'The request is not valid HTTP.'];
    const body = JSON.stringify(errorEnvelope(code, message, randomUUID()));
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
