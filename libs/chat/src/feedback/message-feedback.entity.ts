import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const FEEDBACK_RATINGS = ['up', 'down'] as const;
export type FeedbackRating = (typeof FEEDBACK_RATINGS)[number];

/** One user's opinion of one assistant message; unique per (message, user), changed in place. */
@Entity({ name: 'message_feedback' })
export class MessageFeedback {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'dealership_id' })
  dealershipId: string;

  @Column('uuid', { name: 'message_id' })
  messageId: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('text')
  rating: FeedbackRating;

  @Column('text', { nullable: true })
  comment: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
