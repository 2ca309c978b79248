// dev-reload.js is bundled as text ([[rules]] in wrangler.toml).
declare const text: string;
export default text;
