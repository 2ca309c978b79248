// WordPress keeps which page is the privacy policy in a setting the export
// does not carry; the importer recognises it (and the Impressum) by the usual
// slugs and titles, and marks it with the front matter key `role`.
import { slugify } from "../../src/lib/slug";
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
