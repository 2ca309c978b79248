// What the Worker gets when it imports embeds.js: the file's text, since
// wrangler.toml bundles it as a Text module. The browser runs the file itself
// (checked on its own by src/assets/tsconfig.json).
declare const text: string;
export default text;
