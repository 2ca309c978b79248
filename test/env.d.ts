/// <reference types="vite/client" />
import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      TEST_ACCESS_TEAM: string;
      TEST_ACCESS_PRIVATE_JWK: string;
      TEST_WEBHOOK_ORIGIN: string;
      TEST_EMAIL_VERIFIED_ONLY: SendEmail;
    }
  }
}
