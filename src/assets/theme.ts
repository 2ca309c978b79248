// The accent colour of SITE_ACCENT_COLOR as a stylesheet of its own, linked
// after site.css: the CSP allows no inline style, and a file named by the
// hash of its text stays cacheable for good, like the other assets.
import { fnv1a } from "../lib/fnv";

/** "#0a7" → "#00aa77". */
function expandHex(hex: string): string {
  const digits = hex.slice(1);
  return `#${digits.length === 3 ? [...digits].map((d) => d + d).join("") : digits}`.toLowerCase();
}

/** Dark text on a light accent, white on a dark one (WCAG relative luminance). */
function readableOn(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
  return luminance > 0.179 ? "#111111" : "#ffffff";
}

/** The theme stylesheet for an accent colour (validated by src/config/look.ts). */
export function renderThemeCss(accent: string): string {
  const hex = expandHex(accent);
  return `:root{--accent:${hex};--accent-fg:${readableOn(hex)}}\n`;
}

/** Its URL path, e.g. /assets/theme.1x2y3z.css. */
export function getThemePath(accent: string): string {
  return `/assets/theme.${fnv1a(renderThemeCss(accent))}.css`;
}
