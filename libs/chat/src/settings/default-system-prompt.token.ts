/**
 * The built-in system prompt, shown by GET /assistant-settings when a dealership has not set
 * its own. The prompt builder owns its text; ChatModule binds this token to it, so settings
 * and answers can never disagree about what "the default" is.
 */
export const DEFAULT_SYSTEM_PROMPT_TEXT = Symbol('DEFAULT_SYSTEM_PROMPT_TEXT');
