// WordPress keeps which page is the privacy policy in a setting the export
// does not carry; the importer recognises it (and the Impressum) by the usual
// slugs and titles. The front matter key `role` comes with static pages
// (issue 11); until the front matter knows it, the importer only reports.
import { FIELD_NAMES } from "../articles/front-matter-fields";
import { slugify } from "../lib/slug";
import type { PageRole } from "./post-file";

const CANDIDATES: Record<PageRole, string[]> = {
  privacy: [
    "datenschutz",
    "datenschutzerklaerung",
    "datenschutzhinweise",
    "datenschutzerklarung",
    "privacy-policy",
    "privacy",
    "privacy-notice",
    "data-protection",
  ],
  imprint: ["impressum", "imprint", "legal-notice", "legal", "anbieterkennzeichnung"],
};

/** The role a page's slug or title suggests, or null. */
export function detectPageRole(slug: string, title: string): PageRole | null {
  const keys = [slugify(slug), slugify(title)];
  for (const role of ["privacy", "imprint"] as const) if (keys.some((k) => CANDIDATES[role].includes(k))) return role;
  return null;
}

/** True when this build's front matter accepts `role:` (the static pages change adds it). */
export function frontMatterHasRole(): boolean {
  return (FIELD_NAMES as readonly string[]).includes("role");
}
