// Whether a preview link opens: the id must exist and the signature match
// (else it is "not found", whichever was wrong, so nothing is learnt from it),
// then the expiry is checked.
import type { Db } from "../db/client";
import { constantTimeEqual } from "../lib/crypto";
import { PREVIEW_ID_PATTERN, signPreview } from "./link";
import { getPreview, type Preview } from "./queries";

export type PreviewResult = { status: "open"; preview: Preview } | { status: "not-found" } | { status: "expired" };

/** Looks the link up; `secret` null means previews are off. */
export async function openPreview(db: Db, link: { id: string; sig: string | undefined; secret: string | null; now: number }): Promise<PreviewResult> {
  if (!link.secret || !link.sig || !PREVIEW_ID_PATTERN.test(link.id)) return { status: "not-found" };
  const preview = await getPreview(db, link.id);
  if (!preview || !constantTimeEqual(await signPreview(link.secret, preview.id, preview.expiresAt), link.sig)) return { status: "not-found" };
  if (preview.expiresAt <= link.now) return { status: "expired" };
  return { status: "open", preview };
}
