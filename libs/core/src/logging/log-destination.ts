/**
 * Where log lines go. Unset in production (pino writes to stdout); a test provides a stream
 * under this token, from a @Global module, to read what the apps log.
 */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');
