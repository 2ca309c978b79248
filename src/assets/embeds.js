// @ts-check
// Click to load: an embedded video or audio (src/articles/embeds.ts) is a
// link to its provider until the reader clicks it; only then is the player's
// iframe made, so nothing reaches the provider before. A click with a
// modifier key opens the link as links open; without this script every embed
// stays a plain link.
(() => {
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest("a.embed-link") : null;
    const figure = link?.closest("figure.embed");
    const src = figure?.getAttribute("data-embed-src") ?? "";
    if (!link || !figure || !src.startsWith("https://")) return;
    event.preventDefault();
    const frame = document.createElement("iframe");
    frame.src = src;
    frame.title = link.querySelector(".embed-play")?.textContent ?? link.textContent ?? "";
    frame.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    const height = Number(figure.getAttribute("data-embed-height"));
    if (height > 0) frame.height = String(height);
    frame.className = "embed-frame";
    link.replaceWith(frame);
    frame.focus();
  });
})();
