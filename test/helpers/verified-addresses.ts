/** The only recipients TEST_EMAIL_VERIFIED_ONLY (test/vitest.config.ts) accepts, as Email Service on the Free plan does. */
export const VERIFIED_ADDRESSES = ["moderators@example.com", "verified-1@example.com", "verified-2@example.com"] as const;
