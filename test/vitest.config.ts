import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { VERIFIED_ADDRESSES } from "./helpers/verified-addresses.ts";
import { ACCESS_PRIVATE_JWK, ACCESS_TEAM, outboundService, WEBHOOK_ORIGIN } from "./setup/outbound.ts";

const root = path.resolve(import.meta.dirname, "..");

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(root, "migrations"));
  return {
    root,
    plugins: [
      cloudflareTest({
        wrangler: { configPath: path.join(root, "wrangler.toml") },
        miniflare: {
          // Secrets live in .dev.vars locally (not committed); tests bring their own.
          bindings: {
            TEST_MIGRATIONS: migrations,
            FORM_SECRET: "test-form-secret-0123456789abcdef",
            IP_HASH_SALT: "test-ip-salt-0123456789abcdef",
            ADMIN_TOKEN: "test-admin-token-0123456789abcdef",
            PREVIEW_SECRET: "test-preview-secret-0123456789abcdef",
            TEST_ACCESS_TEAM: ACCESS_TEAM,
            TEST_ACCESS_PRIVATE_JWK: ACCESS_PRIVATE_JWK,
            TEST_WEBHOOK_ORIGIN: WEBHOOK_ORIGIN,
          },
          outboundService,
          // EMAIL as wrangler.toml has it (this list replaces wrangler's), and a binding that, as
          // Email Service on the Free plan, only mails verified addresses and refuses the rest.
          email: {
            send_email: [{ name: "EMAIL" }, { name: "TEST_EMAIL_VERIFIED_ONLY", allowed_destination_addresses: [...VERIFIED_ADDRESSES] }],
          },
        },
      }),
    ],
    test: {
      include: ["test/**/*.test.{ts,tsx}"],
      // Tests mirror src/ and tools/; the file name says where one runs:
      //   *.test.ts            here, in workerd, on real local D1, Queues and Email;
      //   *.solo.test.ts       in workerd, alone (it changes the shared local D1: vitest.solo.config.ts);
      //   *.node.test.ts       in Node, where it can spawn wrangler (vitest.node.config.ts);
      //   *.node-solo.test.ts  in Node, alone (timed: vitest.node-solo.config.ts);
      //   test/browser/**      in Debian's Chromium (vitest.browser.config.ts).
      exclude: ["test/browser/**", "**/*.node.test.ts", "**/*.node-solo.test.ts", "**/*.solo.test.ts", "node_modules/**"],
      setupFiles: ["test/setup/apply-migrations.ts"],
    },
  };
});
