import { describeError } from '../api/api-error';

/** An api or network error in words, announced to screen readers. */
export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p role="alert" className="error-text">
      {describeError(error)}
    </p>
  );
}
