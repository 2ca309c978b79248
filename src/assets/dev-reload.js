// Development only (`npm run dev` links it; production pages never do): listens
// to the dev command's events, reloads the page when a saved file was
// published, and shows a broken file's file:line message instead of the article.
const script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
const url = script?.dataset.events;

/** @param {string[]} lines */
function showProblem(lines) {
  const main = document.querySelector("main") ?? document.body;
  const box = document.createElement("section");
  box.className = "dev-problem";
  box.setAttribute("role", "alert");
  const heading = document.createElement("h1");
  heading.textContent = "This file cannot be published";
  const text = document.createElement("pre");
  text.textContent = lines.join("\n");
  box.append(heading, text);
  main.replaceChildren(box);
}

if (url) {
  const events = new EventSource(url);
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("problem", (event) => {
    const data = JSON.parse(/** @type {MessageEvent<string>} */ (event).data);
    showProblem(Array.isArray(data.lines) ? data.lines : []);
  });
}
