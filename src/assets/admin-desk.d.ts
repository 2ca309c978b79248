// What the Worker gets when it imports admin-desk.js: the file's text (a Text
// module, see wrangler.toml); the browser runs the file itself.
declare const text: string;
export default text;
