/** What no response may ever be, whatever was sent. */
export interface Observed {
  status: number;
  contentType: string;
  text: string;
  /** /v1/* answers errors in OpenAI's shape, everything else in the Showroom envelope. */
  openAiShape: boolean;
}

const STACK_TRACE = [/\n\s+at [^\n]+:\d+:\d+\)?/, /\b[\w/-]+\.(ts|js):\d+:\d+/, /node_modules\//, /\bat (async )?[A-Z]\w+\.\w+ \(/];
const SQL_TEXT = [
  /QueryFailedError/,
  /syntax error at or near/i,
  /violates (unique|foreign key|not-null|check) constraint/i,
  /invalid input syntax for/i,
  /invalid byte sequence for encoding/i,
  /duplicate key value/i,
  /\bSELECT\b[\s\S]{1,200}\bFROM\s+"?[a-z_]+"?/,
  /\bINSERT INTO\s/i,
  /\bUPDATE\s+"?[a-z_]+"?\s+SET\b/,
  /out of range for type/i,
  /relation "[a-z_]+" does not exist/i,
];
/** A documented refusal, not a failure: a provider that is not configured (DESIGN.md: "a clear 503"). */
const NOT_CONFIGURED = /_NOT_CONFIGURED$/;

export function violationsOf(observed: Observed): string[] {
  const problems: string[] = [];
  const { status, text } = observed;
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (status >= 500 && !(status === 503 && NOT_CONFIGURED.test(codeOf(body) ?? ''))) problems.push(`status ${status} ${codeOf(body) ?? ''}`.trim());
  if (status >= 400) {
    const shapeProblem = observed.openAiShape ? openAiShapeProblem(body) : envelopeProblem(body);
    if (shapeProblem) problems.push(`error outside the ${observed.openAiShape ? 'OpenAI error shape' : 'envelope'}: ${shapeProblem}`);
    for (const pattern of SQL_TEXT) if (pattern.test(text)) problems.push(`SQL text in an error body (${pattern})`);
  }
  for (const pattern of STACK_TRACE) if (pattern.test(text)) problems.push(`stack trace in the body (${pattern})`);
  return problems;
}

export function codeOf(body: unknown): string | undefined {
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' ? code : undefined;
}

function envelopeProblem(body: unknown): string | undefined {
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (!error || typeof error !== 'object') return 'no error object';
  if (typeof error.code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(error.code)) return `code ${JSON.stringify(error.code)}`;
  if (typeof error.message !== 'string' || error.message.length === 0) return 'no message';
  if (typeof error.requestId !== 'string' || error.requestId.length === 0) return 'no requestId';
  if (!Array.isArray(error.details)) return 'details is not a list';
  const extra = Object.keys(body as object).filter((k) => k !== 'error');
  if (extra.length > 0) return `extra top-level keys ${extra.join(',')}`;
  return undefined;
}

function openAiShapeProblem(body: unknown): string | undefined {
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (!error || typeof error !== 'object') return 'no error object';
  if (typeof error.message !== 'string' || typeof error.type !== 'string') return 'no message or type';
  if (!('param' in error) || !('code' in error)) return 'no param or code';
  return undefined;
}
