/**
 * A reason an export cannot be made that retrying will not fix (too many messages, file too
 * large, conversation gone): the export fails at once with this message, shown to the user.
 */
export class ExportFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportFailure';
  }
}
