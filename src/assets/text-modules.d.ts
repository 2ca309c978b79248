// Stylesheets under src/assets/ are bundled as text ([[rules]] type = "Text"
// in wrangler.toml): importing one gives its contents as a string.
declare module "*.css" {
  const text: string;
  export default text;
}
