import { io, type Socket } from 'socket.io-client';
import { freshAccessToken } from '../auth/token-refresher';

/**
 * The api's socket.io gateway (README "Realtime"): WebSocket transport only (the api has no
 * sticky sessions for long-polling), the access token in `auth`, asked for again on every
 * (re)connect so a refreshed token is used after a drop.
 */
export function connectRealtime(): Socket {
  return io({
    path: '/api/v1/ws',
    transports: ['websocket'],
    auth: (callback) => {
      void freshAccessToken()
        .catch(() => null)
        .then((token) => callback({ token }));
    },
  });
}
