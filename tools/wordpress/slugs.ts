// Slugs for imported posts. WordPress stores non-ASCII slugs percent-encoded
// (%c3%bcber-uns); the blog's slugs are lower-case ASCII (src/lib/slug.ts), so
// umlauts are transliterated (über-uns → ueber-uns) and the umlaut form gets a
// redirect (aliases cannot hold it: they follow the same slug pattern).
import { slugify } from "../../src/lib/slug";

/** Longest slug the importer writes; longer ones are cut at a hyphen. */
export const MAX_SLUG_LENGTH = 100;

/** The post_name as WordPress meant it: percent-decoded (unchanged when not valid UTF-8). */
export function decodePostName(postName: string): string {
  const trimmed = postName.trim();
  try {
    return decodeURIComponent(trimmed).normalize("NFC");
  } catch {
    return trimmed;
  }
}

/** The blog slug for a post: from its post_name, else its title, else "<type>-<id>". */
export function chooseSlug(postName: string, title: string, fallback: string): string {
  const fromName = slugify(decodePostName(postName).replace(/__trashed(?:-\d+)?$/, ""));
  const slug = fromName || slugify(title) || fallback;
  return cutSlug(slug);
}

function cutSlug(slug: string): string {
  if (slug.length <= MAX_SLUG_LENGTH) return slug;
  const cut = slug.slice(0, MAX_SLUG_LENGTH);
  const hyphen = cut.lastIndexOf("-");
  return (hyphen > MAX_SLUG_LENGTH / 2 ? cut.slice(0, hyphen) : cut).replace(/-+$/, "");
}

/** Gives out slugs that are unique among those already taken: "slug", then "slug-2", "slug-3". */
export function createSlugRegistry(taken: Iterable<string> = []) {
  const used = new Set(taken);
  return {
    claim(slug: string): string {
      let candidate = slug;
      for (let n = 2; used.has(candidate); n++) candidate = `${cutSlug(slug).slice(0, MAX_SLUG_LENGTH - String(n).length - 1)}-${n}`;
      used.add(candidate);
      return candidate;
    },
  };
}
