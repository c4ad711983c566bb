/** `POST /v1/challenges`: a single-use server nonce that a signed request must carry. */
import { z } from 'zod';

export const challengeResponseSchema = z.object({
  /** 32 random bytes, base64url. */
  nonce: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  expiresAt: z.string().datetime(),
});
export type ChallengeResponse = z.infer<typeof challengeResponseSchema>;
