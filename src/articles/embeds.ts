// Videos and audio from other sites, loaded only when the reader asks: a URL of
// a provider below on a line of its own (as WordPress auto-embeds it) is
// rendered as a link to the provider with the player's address beside it.
// Nothing is requested from the provider until the reader clicks; then the
// site's script (src/assets/embeds.js) puts the player's iframe in the
// link's place. Without JavaScript, and in feeds, it stays a plain link.
//
// The stored HTML holds no language: the link's label and the notice about
// what the provider receives are filled in for each page in the reader's
// language and register (localizeEmbeds). The CSP allows frames from the
// players' hosts only (EMBED_FRAME_HOSTS), and nothing else from them.
import { escapeHtml } from "../lib/html";

interface Provider {
  /** How readers know it; also in the notice. */
  name: string;
  /** "video" players keep 16:9; "audio" players a fixed height. */
  kind: "video" | "audio";
  /** The player's URL for a link of this provider, or null when the link is not one it plays. */
  player(url: URL): { src: string; height?: number } | null;
}

const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;

function youtubePlayer(url: URL): { src: string } | null {
  const host = url.hostname.replace(/^(?:www|m)\./, "");
  let id: string | null = null;
  if (host === "youtu.be") id = url.pathname.slice(1);
  else if (url.pathname === "/watch") id = url.searchParams.get("v");
  else id = /^\/(?:embed|shorts|live)\/([^/]+)$/.exec(url.pathname)?.[1] ?? null;
  if (!id || !YOUTUBE_ID.test(id)) return null;
  const start = /^(\d+)s?$/.exec(url.searchParams.get("t") ?? url.searchParams.get("start") ?? "")?.[1];
  return { src: `https://www.youtube-nocookie.com/embed/${id}?autoplay=1${start ? `&start=${start}` : ""}` };
}

function vimeoPlayer(url: URL): { src: string } | null {
  const path =
    url.hostname === "player.vimeo.com" ? /^\/video\/(\d+)$/.exec(url.pathname) : /^(?:\/channels\/[\w-]+)?\/(\d+)(?:\/([0-9a-f]+))?\/?$/.exec(url.pathname);
  if (!path?.[1]) return null;
  const hash = path[2] ?? url.searchParams.get("h");
  return { src: `https://player.vimeo.com/video/${path[1]}?dnt=1&autoplay=1${hash && /^[0-9a-f]+$/.test(hash) ? `&h=${hash}` : ""}` };
}

function soundcloudPlayer(url: URL): { src: string; height: number } | null {
  // A track (user/track) or a set (user/sets/name): a profile alone is no player.
  if (!/^\/[\w-]+\/(?:sets\/)?[\w-]+\/?$/.test(url.pathname)) return null;
  const track = `https://soundcloud.com${url.pathname}`;
  return { src: `https://w.soundcloud.com/player/?url=${encodeURIComponent(track)}&auto_play=true`, height: url.pathname.includes("/sets/") ? 450 : 166 };
}

function spotifyPlayer(url: URL): { src: string; height: number } | null {
  const match = /^(?:\/intl-[a-z-]+)?\/(track|album|playlist|episode|show|artist)\/([A-Za-z0-9]{22})\/?$/.exec(url.pathname);
  if (!match) return null;
  return { src: `https://open.spotify.com/embed/${match[1]}/${match[2]}`, height: match[1] === "track" || match[1] === "episode" ? 152 : 352 };
}

const PROVIDERS = new Map<string, Provider>([
  ["youtube", { name: "YouTube", kind: "video", player: youtubePlayer }],
  ["vimeo", { name: "Vimeo", kind: "video", player: vimeoPlayer }],
  ["soundcloud", { name: "SoundCloud", kind: "audio", player: soundcloudPlayer }],
  ["spotify", { name: "Spotify", kind: "audio", player: spotifyPlayer }],
]);

// The hosts a link may name → its provider.
const HOSTS = new Map<string, string>([
  ...["youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "www.youtube-nocookie.com", "youtube-nocookie.com"].map((h): [string, string] => [
    h,
    "youtube",
  ]),
  ...["vimeo.com", "www.vimeo.com", "player.vimeo.com"].map((h): [string, string] => [h, "vimeo"]),
  ...["soundcloud.com", "www.soundcloud.com", "m.soundcloud.com"].map((h): [string, string] => [h, "soundcloud"]),
  ["open.spotify.com", "spotify"],
]);

/** The hosts whose players may be framed (the CSP's frame-src): the players the script creates, no others. */
export const EMBED_FRAME_HOSTS = ["https://www.youtube-nocookie.com", "https://player.vimeo.com", "https://w.soundcloud.com", "https://open.spotify.com"];

export interface Embed {
  provider: string;
  /** The address a reader without script follows. */
  href: string;
  /** The player's address, framed after the click. */
  src: string;
  kind: "video" | "audio";
  height?: number;
}

/** The embed a link stands for, or null when no provider below plays it. */
export function findEmbed(href: string): Embed | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  const key = HOSTS.get(url.hostname.toLowerCase());
  const provider = key ? PROVIDERS.get(key) : undefined;
  const player = key && provider ? provider.player(url) : null;
  if (!key || !provider || !player) return null;
  return { provider: key, href: url.href, src: player.src, kind: provider.kind, height: player.height };
}

/** The language-free markup an embed is stored as; localizeEmbeds gives it words. */
export function renderEmbed(embed: Embed): string {
  const height = embed.height ? ` data-embed-height="${embed.height}"` : "";
  return (
    `<figure class="embed embed-${embed.kind}" data-embed-src="${escapeHtml(embed.src)}"${height}>` +
    `<a class="embed-link" data-provider="${embed.provider}" href="${escapeHtml(embed.href)}">${escapeHtml(embed.href)}</a></figure>\n`
  );
}

const STORED_LINK = /<a class="embed-link" data-provider="([a-z]+)" href="([^"]*)">[^<]*<\/a>/g;

/** The words of an embed in the reader's language: the link's label and what the provider receives. */
export interface EmbedWords {
  play(provider: string, kind: "video" | "audio"): string;
  notice(provider: string): string;
}

/** Whether rendered HTML holds an embed (and the page needs the script that loads it). */
export function hasEmbeds(html: string): boolean {
  return html.includes('<a class="embed-link" data-provider="');
}

/** Gives each stored embed of `html` its label and notice; HTML without embeds comes back as it was. */
export function localizeEmbeds(html: string, words: EmbedWords): string {
  if (!hasEmbeds(html)) return html;
  return html.replace(STORED_LINK, (whole, key: string, href: string) => {
    const provider = PROVIDERS.get(key);
    if (!provider) return whole;
    return (
      `<a class="embed-link" data-provider="${key}" href="${href}"><span class="embed-play">${escapeHtml(words.play(provider.name, provider.kind))}</span> <span class="embed-url">${href}</span></a>` +
      `<figcaption class="embed-notice">${escapeHtml(words.notice(provider.name))}</figcaption>`
    );
  });
}
