import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useAuth } from '../auth/auth-context';
import { ErrorText } from '../layout/error-text';

type Rating = 'up' | 'down';

/** Thumbs up or down on an answer, with an optional comment; the api keeps one opinion per user, changeable. */
export function FeedbackControls({ messageId }: { messageId: string }) {
  const { api } = useAuth();
  const [rating, setRating] = useState<Rating | null>(null);
  const [comment, setComment] = useState('');
  const [sent, setSent] = useState<'rating' | 'comment' | null>(null);
  const send = useMutation({
    mutationFn: async (input: { rating: Rating; comment?: string }) => {
      await api.POST('/api/v1/messages/{id}/feedback', { params: { path: { id: messageId } }, body: input });
      return input;
    },
    onSuccess: (input) => setSent(input.comment ? 'comment' : 'rating'),
  });
  const rate = (value: Rating) => {
    setRating(value);
    send.mutate({ rating: value });
  };
  return (
    <div className="feedback" role="group" aria-label="Feedback">
      <button type="button" aria-pressed={rating === 'up'} onClick={() => rate('up')}>
        Helpful
      </button>
      <button type="button" aria-pressed={rating === 'down'} onClick={() => rate('down')}>
        Not helpful
      </button>
      {rating && sent !== 'comment' && (
        <form
          className="feedback-comment"
          onSubmit={(e) => {
            e.preventDefault();
            send.mutate({ rating, comment: comment.trim() || undefined });
          }}
        >
          <label>
            Comment (optional)
            <input value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} />
          </label>
          <button type="submit" disabled={!comment.trim() || send.isPending}>
            Send comment
          </button>
        </form>
      )}
      {sent && <span role="status">Thanks for the feedback.</span>}
      <ErrorText error={send.error} />
    </div>
  );
}
